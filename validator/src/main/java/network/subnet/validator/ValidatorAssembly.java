package network.subnet.validator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import network.subnet.node.api.MinerGateway;
import network.subnet.node.identity.Signer;
import network.subnet.node.lifecycle.Service;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.node.text.TextTokenizer;
import network.subnet.validator.query.QueryGrpcService;
import network.subnet.validator.query.RewardsService;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.validator.tasks.CompressTaskSource;
import network.subnet.validator.tasks.DistillTaskSource;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TextFiles;
import network.subnet.validator.verify.ReferenceTeacher;

/**
 * Builds a validator from its parts: the ledger storage, the teacher's tokenizer (for cutting documents into tasks)
 * and the validator's signer. A server exposes {@link #minerGateway()} as the MinerService and
 * {@link #queryService()} as the QueryService; {@link #start()} starts the epoch timer.
 */
public final class ValidatorAssembly implements Service {

  private static final int TASK_BATCH = 512;

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
    return assemble(config, TrustConfig.fixedReplication(), null, storage, tokenizer, signer);
  }

  /**
   * As {@link #assemble(ValidatorConfig, KeyValueStorage, TextTokenizer, Signer)}, trusting miners by {@code trust};
   * {@code reference} (may be null: no gold tasks, tie-breaks by more replicas) is the validator's own teacher.
   */
  public static ValidatorAssembly assemble(ValidatorConfig config, TrustConfig trust, ReferenceTeacher reference,
      KeyValueStorage storage, TextTokenizer tokenizer, Signer signer) {
    if (config.modelHash() == null || config.modelHash().isBlank()) {
      throw new IllegalArgumentException("the validator needs the teacher's model hash to bind tasks to it");
    }
    ValidatorNode node = new ValidatorNode(config, trust, reference, storage, signer, System::currentTimeMillis);
    DistillTaskSource source = new DistillTaskSource(
        tokenizer, config.bosId(), config.maxTokens(), config.topK(), config.temperature(), config.modelHash());
    return new ValidatorAssembly(config, node, source);
  }

  /** Reads every configured input (texts, then activations) into tasks; tasks already in the ledger are skipped. Returns how many were new. */
  public int loadTasks() throws IOException {
    List<Task> batch = new ArrayList<>(TASK_BATCH);
    int[] added = {0};
    taskSource.read(TextFiles.of(config.inputs()), task -> {
      batch.add(task);
      if (batch.size() == TASK_BATCH) {
        added[0] += node.addTasks(batch);
        batch.clear();
      }
    });
    added[0] += node.addTasks(batch);
    if (!config.activations().isEmpty()) {
      added[0] += node.addTasks(
          new CompressTaskSource(CodecRegistry.standard(), config.similarityFloor()).read(config.activations()));
    }
    return added[0];
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
