package network.subnet.cli.devnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import network.subnet.cli.TeacherReference;
import network.subnet.miner.behavior.Behavior;
import network.subnet.miner.behavior.BehaviorOptions;
import network.subnet.miner.behavior.Behaviors;
import network.subnet.miner.behavior.Bulletin;
import network.subnet.miner.daemon.MinerConfig;
import network.subnet.miner.daemon.MinerDaemon;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.Teacher;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.model.TinyCheckpoint;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.tensor.DType;
import network.subnet.node.text.HfTextTokenizer;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.ServerSecurity;
import network.subnet.node.transport.limits.RateLimit;
import network.subnet.node.transport.tls.TlsIdentity;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.validator.TrustConfig;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.query.QueryClient;
import network.subnet.validator.query.RewardsService.NetworkStatus;
import network.subnet.validator.security.BanList;
import network.subnet.validator.security.ServerPolicy;
import network.subnet.validator.tasks.CompressTaskSource;
import network.subnet.validator.tasks.HiddenStateTaskSource;
import network.subnet.validator.tasks.DistillTaskSource;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TextFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole network on one machine: one validator and N miners in this process, talking real gRPC over loopback with
 * pinned TLS and signed requests, a RocksDB ledger, and the tiny Mistral checkpoint. Beside distillation the validator
 * issues compress tasks from seeded activation matrices (64x256 bf16 {@code .npy} files). The model, corpus,
 * activations and TLS certificate are generated once into the devnet directory; the ledger is fresh on every start so
 * that the shares describe this run.
 */
public final class Devnet implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);
  static final long MODEL_SEED = 7;
  static final long CORPUS_SEED = 11;
  static final long ACTIVATION_SEED = 13;
  static final int ACTIVATION_ROWS = 64;
  static final int ACTIVATION_COLS = 256;
  static final long COLLUDE_SEED = 17;

  /** What to run; {@link #defaults(Path)} gives the devnet command's defaults. */
  /**
   * @param compressTasks compress tasks made of synthetic activation files
   * @param hiddenStateTasks compress tasks made of the teacher's hidden states (middle layer, bf16) on task windows
   */
  public record Options(
      Path dir, int miners, int tasks, int compressTasks, int hiddenStateTasks, int replicas, int topK, int maxTokens,
      int port) {
    public static final int DEFAULT_COMPRESS_TASKS = 4;
    public static final int DEFAULT_HIDDEN_STATE_TASKS = 2;

    public static Options defaults(Path dir) {
      return new Options(dir, 3, 20, DEFAULT_COMPRESS_TASKS, DEFAULT_HIDDEN_STATE_TASKS,
          ValidatorConfig.DEFAULT_REPLICAS, ValidatorConfig.DEFAULT_TOP_K, 256, 0);
    }

    public Options {
      if (miners < replicas) {
        throw new IllegalArgumentException(
            "each task needs %d distinct miners; --miners %d is too few".formatted(replicas, miners));
      }
      if (tasks < 1) {
        throw new IllegalArgumentException("--tasks must be at least 1, got " + tasks);
      }
      if (compressTasks < 0) {
        throw new IllegalArgumentException("--compress-tasks must be at least 0, got " + compressTasks);
      }
      if (hiddenStateTasks < 0 || hiddenStateTasks > tasks) {
        throw new IllegalArgumentException(
            "--hidden-state-tasks must be in 0..--tasks (%d), got %d".formatted(tasks, hiddenStateTasks));
      }
    }
  }

  private final Options options;
  private final KeyValueStorage storage;
  private final ValidatorServer validator;
  private final List<Miner> miners = new ArrayList<>();
  private final int taskCount;
  private final List<String> compressTaskIds;
  private List<MinerView> views = List.of();

  private final TeacherReference reference;
  private final Bulletin bulletin = new Bulletin();
  private final Path lazyModel;

  private record Miner(
      LocalSigner signer, Behavior behavior, Teacher teacher, CountingValidatorApi api, MinerDaemon daemon) {}

  /** One running miner: its key, how it behaves, and the distill tokens the validator accepted from it. */
  public record MinerView(PublicKey key, Behavior behavior, long acceptedTokens) {}

  private Devnet(Options options, KeyValueStorage storage, ValidatorServer validator, int taskCount,
      List<String> compressTaskIds, TeacherReference reference, Path lazyModel) {
    this.options = options;
    this.storage = storage;
    this.validator = validator;
    this.taskCount = taskCount;
    this.compressTaskIds = List.copyOf(compressTaskIds);
    this.reference = reference;
    this.lazyModel = lazyModel;
  }

  /** Prepares the model, corpus and a fresh ledger, then starts the validator and honest miners. */
  public static Devnet start(Options options) throws Exception {
    return start(options, Population.honest());
  }

  /**
   * Prepares the model, corpus and a fresh ledger, then starts the validator (with its own reference teacher for gold
   * tasks and tie-breaks) and the miners, {@code population.adversaries()} of them adversarial.
   */
  public static Devnet start(Options options, Population population) throws Exception {
    population.behaviorOf(0, options.miners()); // refuses more adversaries than miners before anything starts
    Path dir = options.dir().toAbsolutePath();
    Path model = ensureModel(dir.resolve("tiny-mistral"));
    Path corpus = SampleCorpus.writeIfAbsent(dir.resolve("corpus.jsonl"), Math.max(200, options.tasks()), CORPUS_SEED);
    Path ledgerDir = dir.resolve("ledger");
    deleteRecursively(ledgerDir);

    MistralCheckpoint checkpoint = MistralCheckpoint.open(model);
    String modelHash = checkpoint.modelHash();
    List<Task> tasks =
        distillTasks(
            checkpoint, modelHash, corpus, options.maxTokens(), options.topK(), ValidatorConfig.DEFAULT_TEMPERATURE,
            options.tasks());
    if (tasks.size() < options.tasks()) {
      throw new IllegalStateException(
          "the corpus %s yields only %d distinct tasks; fewer than --tasks %d".formatted(corpus, tasks.size(), options.tasks()));
    }

    List<Path> activations = writeActivations(dir.resolve("activations"), options.compressTasks());
    ValidatorConfig config =
        ValidatorConfig.defaults()
            .withReplicas(options.replicas())
            .withTeacher(modelHash, options.topK(), options.maxTokens())
            .withInputs(List.of(corpus))
            .withActivations(activations, ValidatorConfig.DEFAULT_SIMILARITY_FLOOR);
    // The validator's own teacher: the reference for gold tasks and tie-breaks, and the source of hidden states.
    MistralTeacher validatorTeacher = MistralTeacher.load(model, TeacherReference.OPTIONS);
    TeacherReference reference = new TeacherReference(validatorTeacher);
    CompressTaskSource compressSource = new CompressTaskSource(CodecRegistry.standard(), config.similarityFloor());
    List<Task> compressTasks = new ArrayList<>(activations.isEmpty() ? List.of() : compressSource.read(activations));
    compressTasks.addAll(
        hiddenStateTasks(validatorTeacher, checkpoint, tasks, options.hiddenStateTasks(), compressSource));
    // Adversaries take the mix in turn, so only the first `adversaries` entries are ever used.
    List<Behavior> used = population.mix().subList(0, Math.min(population.adversaries(), population.mix().size()));
    Path lazyModel = used.contains(Behavior.LAZY)
        ? ensureModel(dir.resolve("tiny-mistral-lazy"), BehaviorOptions.LAZY_MODEL_SEED)
        : null;
    KeyValueStorage storage = RocksDbStorage.open(ledgerDir);
    Clock clock = Clock.systemUTC();
    TrustConfig trust = TrustConfig.defaults().withGoldFraction(population.goldFraction());
    ValidatorNode node = new ValidatorNode(
        config, trust, reference, storage, KeyFile.loadOrCreate(dir.resolve("validator.key")), clock::millis);
    node.addTasks(tasks);
    node.addTasks(compressTasks);
    // The devnet runs the secure path end to end: TLS with a certificate made once in the devnet directory, whose
    // fingerprint the miners and the query client pin; miner calls are rate-limited per key as on a real validator.
    TlsIdentity tls = TlsIdentity.loadOrCreate(dir.resolve("tls"), "subnet-devnet-validator");
    ServerPolicy policy =
        ServerPolicy.of(ServerSecurity.tls(tls)).withRateLimits(ServerPolicy.DEFAULT_PER_KEY, RateLimit.UNLIMITED);
    ValidatorServer validator =
        new ValidatorServer(node, "127.0.0.1", options.port(), clock, policy, new BanList(storage));
    validator.start();

    Devnet devnet = new Devnet(options, storage, validator, tasks.size(),
        compressTasks.stream().map(Task::id).toList(), reference, lazyModel);
    try {
      for (int i = 0; i < options.miners(); i++) {
        devnet.startMiner(dir.resolve("miner-" + i + ".key"), model, population.behaviorOf(i, options.miners()));
      }
    } catch (Exception e) {
      devnet.close();
      throw e;
    }
    LOG.info("devnet: validator TLS certificate fingerprint {}", tls.fingerprint());
    LOG.info("devnet: validator on {}, {} miners, {} distill and {} compress tasks x {} replicas", validator.target(),
        options.miners(), tasks.size(), compressTasks.size(), options.replicas());
    return devnet;
  }

  /**
   * The first {@code limit} distinct distill tasks (fewer if the corpus runs out) that the checkpoint's tokenizer makes
   * of the corpus, in corpus order; a text that repeats an earlier task's id is skipped.
   */
  public static List<Task> distillTasks(
      MistralCheckpoint checkpoint, String modelHash, Path corpus, int maxTokens, int topK, float temperature, int limit)
      throws IOException {
    Map<String, Task> unique = new LinkedHashMap<>();
    try (HfTextTokenizer tokenizer = HfTextTokenizer.load(checkpoint.tokenizerJson())) {
      new DistillTaskSource(tokenizer, tokenizer.bosId(), maxTokens, topK, temperature, modelHash)
          .read(TextFiles.of(List.of(corpus)), t -> unique.putIfAbsent(t.id(), t));
    }
    return unique.values().stream().limit(limit).toList();
  }

  /**
   * Compress tasks of real activations: the validator's own teacher computes the hidden states of the first
   * {@code count} distill windows at the middle layer, as bf16.
   */
  private static List<Task> hiddenStateTasks(
      MistralTeacher teacher, MistralCheckpoint checkpoint, List<Task> distill, int count, CompressTaskSource source) {
    if (count == 0) {
      return List.of();
    }
    int layer = checkpoint.config().numHiddenLayers() / 2;
    return new HiddenStateTaskSource(teacher::hiddenStates, layer, DType.BF16, source).tasksFrom(distill, count);
  }

  private void startMiner(Path keyFile, Path model, Behavior behavior) throws IOException {
    LocalSigner signer = KeyFile.loadOrCreate(keyFile);
    TeacherOptions teacherOptions = new TeacherOptions(TeacherOptions.CPU, 1, TeacherOptions.DEFAULT_MAX_BATCH_TOKENS);
    MistralTeacher honest = MistralTeacher.load(model, teacherOptions);
    // Random answers differ per miner; colluders share one seed and so one wrong answer.
    long seed = behavior == Behavior.COLLUDE ? COLLUDE_SEED : miners.size() + 1;
    Teacher teacher = Behaviors.wrap(behavior, honest, new Behaviors.Setting(bulletin, honest.config().vocabSize(), seed,
        () -> loadCheap(teacherOptions), Behaviors.DEFAULT_COPY_WAIT));
    CountingValidatorApi api = new CountingValidatorApi(
        GrpcValidatorApi.connect(validator.target(), signer, ClientOptions.defaults(), channelSecurity()));
    MinerConfig config =
        new MinerConfig(
            validator.target(),
            keyFile,
            model,
            TeacherOptions.CPU,
            MinerConfig.DEFAULT_MAX_BATCH,
            Duration.ofSeconds(2),
            MinerConfig.DEFAULT_DRAIN_TIMEOUT,
            MinerConfig.DEFAULT_PROGRESS_INTERVAL);
    MinerDaemon daemon = new MinerDaemon(api, teacher, signer, config);
    miners.add(new Miner(signer, behavior, teacher, api, daemon));
    daemon.start();
  }

  private Teacher loadCheap(TeacherOptions teacherOptions) {
    try {
      return MistralTeacher.load(lazyModel, teacherOptions);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot load the lazy miners' model " + lazyModel, e);
    }
  }

  /** The miners running now, in start order. */
  public List<MinerView> miners() {
    return miners.stream()
        .map(m -> new MinerView(m.signer().publicKey(), m.behavior(), m.api().acceptedTokens()))
        .toList();
  }

  /** The number of distill tasks the validator was given. */
  public int taskCount() {
    return taskCount;
  }

  /** The number of compress tasks the validator was given. */
  public int compressTaskCount() {
    return compressTaskIds.size();
  }

  /** Where the run stands: distill and compress tasks verified, and the validator's published status. */
  public record Progress(long distillVerified, long compressVerified, NetworkStatus status) {}

  public String validatorTarget() {
    return validator.target();
  }

  /** How a client reaches this devnet's validator: TLS pinned to its certificate. */
  public ChannelSecurity channelSecurity() {
    return validator.policy().security().identity()
        .map(id -> ChannelSecurity.pinned(id.fingerprint()))
        .orElse(ChannelSecurity.insecure());
  }

  public ValidatorNode validatorNode() {
    return validator.node();
  }

  /**
   * Waits until every distill and compress task is verified (asking over the public QueryService, and the ledger for
   * which of them are compress tasks), or the timeout passes.
   */
  public Progress awaitVerified(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastLogged = 0;
    int total = taskCount + compressTaskIds.size();
    try (QueryClient query = QueryClient.connect(validator.target(), channelSecurity())) {
      while (true) {
        NetworkStatus status = query.networkStatus();
        if (status.tasksVerified() >= total || System.nanoTime() > deadline) {
          long compress = compressTaskIds.stream()
              .filter(id -> validator.node().ledger().task(id)
                  .map(r -> r.status() == TaskRecord.Status.VERIFIED).orElse(false))
              .count();
          return new Progress(status.tasksVerified() - compress, compress, status);
        }
        if (status.tasksVerified() != lastLogged) {
          lastLogged = status.tasksVerified();
          LOG.info("devnet: {}/{} tasks verified", status.tasksVerified(), total);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Seeded activation matrices, written once; one {@code .npy} per compress task. */
  static List<Path> writeActivations(Path dir, int count) throws IOException {
    List<Path> files = new ArrayList<>();
    if (count == 0) {
      return files;
    }
    Files.createDirectories(dir);
    SyntheticActivations.Kind[] kinds = SyntheticActivations.Kind.values();
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve("act-%03d.npy".formatted(i));
      if (!Files.exists(file)) {
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        NpyFile.write(tmp, SyntheticActivations.tensor(
            kinds[i % kinds.length], ACTIVATION_ROWS, ACTIVATION_COLS, DType.BF16, ACTIVATION_SEED + i));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      files.add(file);
    }
    return files;
  }

  /** Stops the miners (draining their work), closes the epoch and reads the signed shares back over gRPC. */
  public EpochRecord finish() {
    List<Miner> running = List.copyOf(miners);
    stopMiners();
    // Counted after the miners drained, so that results submitted while stopping are in.
    views = running.stream()
        .map(m -> new MinerView(m.signer().publicKey(), m.behavior(), m.api().acceptedTokens()))
        .toList();
    EpochRecord closed = validator.node().closeEpoch();
    try (QueryClient query = QueryClient.connect(validator.target(), channelSecurity())) {
      EpochRecord published = query.rewards(closed.epoch());
      if (!published.verify()) {
        throw new IllegalStateException("the published epoch record does not verify against the validator's key");
      }
      return published;
    }
  }

  private void stopMiners() {
    // Each daemon drains its long poll and its work in hand; stopping them together keeps that to one wait.
    List<Thread> stopping = new ArrayList<>();
    for (Miner m : miners) {
      stopping.add(Thread.ofVirtual().start(m.daemon()::stop));
    }
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Miner m : miners) {
      m.api().close();
      m.teacher().close();
    }
    miners.clear();
  }

  /** The miners as they were when {@link #finish()} stopped them (empty before). */
  public List<MinerView> finishedMiners() {
    return views;
  }

  @Override
  public void close() {
    stopMiners();
    validator.stop();
    reference.close();
    storage.close();
  }

  private static Path ensureModel(Path model) throws IOException {
    return ensureModel(model, MODEL_SEED);
  }

  private static Path ensureModel(Path model, long seed) throws IOException {
    if (!Files.exists(model.resolve(MistralCheckpoint.CONFIG))) {
      LOG.info("devnet: writing the tiny Mistral checkpoint to {}", model);
      Path tmp = model.resolveSibling(model.getFileName() + ".tmp");
      deleteRecursively(tmp);
      TinyCheckpoint.write(tmp, seed);
      Files.move(tmp, model);
    }
    return model;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
