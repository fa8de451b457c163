package network.subnet.validator;

import java.io.IOException;
import network.subnet.node.api.MinerGateway;
import network.subnet.node.identity.Signer;
import network.subnet.node.lifecycle.Service;
import network.subnet.node.metrics.NodeMetrics;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.node.text.TextTokenizer;
import network.subnet.validator.dataset.DatasetImporter;
import network.subnet.validator.dataset.ImportTarget;
import network.subnet.validator.dataset.Sampling;
import network.subnet.validator.query.QueryGrpcService;
import network.subnet.validator.query.RewardsService;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.validator.tasks.CompressTaskSource;
import network.subnet.validator.tasks.DistillTaskSource;
import network.subnet.validator.tasks.TextFiles;
import network.subnet.validator.verify.ReferenceTeacher;

/**
 * Builds a validator from its parts: the ledger storage, the teacher's tokenizer (for cutting documents into tasks)
 * and the validator's signer. A server exposes {@link #minerGateway()} as the MinerService and
 * {@link #queryService()} as the QueryService; {@link #start()} starts the epoch timer.
 */
public final class ValidatorAssembly implements Service {

  private static final int IMPORT_STEP = 512;

  private final ValidatorConfig config;
  private final ValidatorNode node;
  private final DistillTaskSource taskSource;
  private final QueryGrpcService queryService;

  private ValidatorAssembly(ValidatorConfig config, ValidatorNode node, DistillTaskSource taskSource) {
    this.config = config;
    this.node = node;
    this.taskSource = taskSource;
    this.queryService = new QueryGrpcService(node);
  }

  /** Opens the validator over {@code storage} (reloading what it holds) without reading any input yet. */
  public static ValidatorAssembly assemble(
      ValidatorConfig config, KeyValueStorage storage, TextTokenizer tokenizer, Signer signer) {
    return assemble(config, TrustConfig.fixedReplication(), null, storage, tokenizer, signer, NodeMetrics.NONE);
  }

  /** As above, the node reporting its work to {@code metrics}. */
  public static ValidatorAssembly assemble(
      ValidatorConfig config, KeyValueStorage storage, TextTokenizer tokenizer, Signer signer, NodeMetrics metrics) {
    return assemble(config, TrustConfig.fixedReplication(), null, storage, tokenizer, signer, metrics);
  }

  /**
   * As {@link #assemble(ValidatorConfig, KeyValueStorage, TextTokenizer, Signer)}, trusting miners by {@code trust};
   * {@code reference} (may be null: no gold tasks, tie-breaks by more replicas) is the validator's own teacher.
   */
  public static ValidatorAssembly assemble(ValidatorConfig config, TrustConfig trust, ReferenceTeacher reference,
      KeyValueStorage storage, TextTokenizer tokenizer, Signer signer) {
    return assemble(config, trust, reference, storage, tokenizer, signer, NodeMetrics.NONE);
  }

  /** The full form: trust, the reference teacher (may be null) and the metrics the node reports to. */
  public static ValidatorAssembly assemble(ValidatorConfig config, TrustConfig trust, ReferenceTeacher reference,
      KeyValueStorage storage, TextTokenizer tokenizer, Signer signer, NodeMetrics metrics) {
    if (config.modelHash() == null || config.modelHash().isBlank()) {
      throw new IllegalArgumentException("the validator needs the teacher's model hash to bind tasks to it");
    }
    ValidatorNode node =
        new ValidatorNode(config, trust, reference, storage, signer, System::currentTimeMillis, metrics);
    DistillTaskSource source = new DistillTaskSource(
        tokenizer, config.bosId(), config.maxTokens(), config.topK(), config.temperature(), config.modelHash());
    return new ValidatorAssembly(config, node, source);
  }

  /** {@link #loadTasks(Sampling)} taking every document. */
  public int loadTasks() throws IOException {
    return loadTasks(Sampling.ALL);
  }

  /**
   * Imports every configured input (texts, then activations) into tasks and returns how many were new. Text inputs
   * go through the dataset import: documents already taken (by id) or already read (by file position) are skipped.
   */
  public int loadTasks(Sampling sampling) throws IOException {
    DatasetImporter importer = new DatasetImporter(taskSource, ImportTarget.of(node), sampling, IMPORT_STEP);
    long added = importer.run(TextFiles.of(config.inputs())).tasksAdded();
    if (!config.activations().isEmpty()) {
      added += node.addTasks(
          new CompressTaskSource(CodecRegistry.standard(), config.similarityFloor()).read(config.activations()));
    }
    return Math.toIntExact(added);
  }

  public ValidatorConfig config() {
    return config;
  }

  public ValidatorNode node() {
    return node;
  }

  public MinerGateway minerGateway() {
    return node;
  }

  public RewardsService rewards() {
    return node;
  }

  public QueryGrpcService queryService() {
    return queryService;
  }

  @Override
  public void start() {
    node.start();
  }

  @Override
  public void stop() {
    node.stop();
  }
}
