package network.subnet.validator.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import network.subnet.validator.ValidatorConfig;
import network.subnet.node.config.SubnetHome;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The validator's options in small mixins that fill one {@link ValidatorConfig}. Precedence lives here: a flag,
 * else its {@code SUBNET_*} environment variable, else the config's {@code DEFAULT_*} constant.
 */
public final class ValidatorOptions {

  /** Where it listens and keeps its ledger. */
  public static final class ServerOptions {
    @Option(names = "--port", defaultValue = "" + ValidatorConfig.DEFAULT_PORT,
        description = "gRPC port (default: ${DEFAULT-VALUE}).")
    int port = ValidatorConfig.DEFAULT_PORT;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Ledger directory (default: $SUBNET_HOME/ledger).")
    Path dataDir;
  }

  /** What tasks are made of. */
  public static final class TaskOptions {
    @Option(names = "--input", paramLabel = "PATH", split = ",",
        description = "JSONL or Parquet files, or directories of them, to cut into tasks (repeatable).")
    List<Path> inputs = List.of();

    @Option(names = "--activations", paramLabel = "PATH", split = ",",
        description = ".npy or .safetensors files, or directories of them: each matrix (each tensor of a safetensors "
            + "file) becomes one compress task (repeatable).")
    List<Path> activations = List.of();

    @Option(names = "--similarity-floor", defaultValue = "" + ValidatorConfig.DEFAULT_SIMILARITY_FLOOR,
        description = "Apex similarity a compress result must reach (default: ${DEFAULT-VALUE}).")
    double similarityFloor = ValidatorConfig.DEFAULT_SIMILARITY_FLOOR;

    @Option(names = "--model-hash", defaultValue = "",
        description = "Skip hashing the checkpoint: the teacher's model hash, as miners report it.")
    String modelHash = "";

    @Option(names = "--max-tokens", defaultValue = "" + ValidatorConfig.DEFAULT_MAX_TOKENS,
        description = "Tokens per task, BOS included (default: ${DEFAULT-VALUE}).")
    int maxTokens = ValidatorConfig.DEFAULT_MAX_TOKENS;

    @Option(names = "--top-k", defaultValue = "" + ValidatorConfig.DEFAULT_TOP_K,
        description = "Soft labels per position (default: ${DEFAULT-VALUE}).")
    int topK = ValidatorConfig.DEFAULT_TOP_K;

    @Option(names = "--temperature", defaultValue = "" + ValidatorConfig.DEFAULT_TEMPERATURE,
        description = "Softmax temperature (default: ${DEFAULT-VALUE}).")
    float temperature = ValidatorConfig.DEFAULT_TEMPERATURE;
  }

  /** How results are replicated and compared. */
  public static final class ReplicationOptions {
    @Option(names = "--replicas", defaultValue = "" + ValidatorConfig.DEFAULT_REPLICAS,
        description = "Distinct miners per task (default: ${DEFAULT-VALUE}).")
    int replicas = ValidatorConfig.DEFAULT_REPLICAS;

    @Option(names = "--max-replicas", defaultValue = "" + ValidatorConfig.DEFAULT_MAX_REPLICAS,
        description = "Replicas, tie-breaks included, before a task is left undecided (default: ${DEFAULT-VALUE}).")
    int maxReplicas = ValidatorConfig.DEFAULT_MAX_REPLICAS;

    @Option(names = "--lease-seconds", defaultValue = "" + ValidatorConfig.DEFAULT_LEASE_SECONDS,
        description = "Lease duration (default: ${DEFAULT-VALUE}).")
    int leaseSeconds = ValidatorConfig.DEFAULT_LEASE_SECONDS;

    @Option(names = "--max-open-leases", defaultValue = "" + ValidatorConfig.DEFAULT_MAX_OPEN_LEASES_PER_MINER,
        description = "Leases one miner may hold at once (default: ${DEFAULT-VALUE}).")
    int maxOpenLeases = ValidatorConfig.DEFAULT_MAX_OPEN_LEASES_PER_MINER;

    @Option(names = "--min-top1-agreement", defaultValue = "" + ValidatorConfig.DEFAULT_MIN_TOP1_AGREEMENT,
        description = "Fraction of positions whose top-1 ids must match (default: ${DEFAULT-VALUE}).")
    double minTop1Agreement = ValidatorConfig.DEFAULT_MIN_TOP1_AGREEMENT;

    @Option(names = "--max-logprob-diff", defaultValue = "" + ValidatorConfig.DEFAULT_MAX_LOGPROB_DIFF,
        description = "Mean absolute log-prob difference allowed, nats (default: ${DEFAULT-VALUE}).")
    double maxLogProbDiff = ValidatorConfig.DEFAULT_MAX_LOGPROB_DIFF;
  }

  /** When epochs close. */
  public static final class EpochOptions {
    @Option(
        names = "--epoch-seconds",
        defaultValue = "" + ValidatorConfig.DEFAULT_EPOCH_SECONDS,
        description = "Epoch length (default: ${DEFAULT-VALUE}).")
    int epochSeconds = ValidatorConfig.DEFAULT_EPOCH_SECONDS;
  }

  @Mixin ServerOptions server;

  @Mixin TaskOptions tasks;

  @Mixin ReplicationOptions replication;

  @Mixin EpochOptions epochs;

  /** The config these options describe; throws {@link IllegalArgumentException} naming a bad value. */
  public ValidatorConfig toConfig() {
    return new ValidatorConfig(
        server.port,
        replication.replicas,
        Duration.ofSeconds(replication.leaseSeconds),
        tasks.topK,
        tasks.temperature,
        tasks.maxTokens,
        Duration.ofSeconds(epochs.epochSeconds),
        replication.minTop1Agreement,
        replication.maxLogProbDiff,
        replication.maxReplicas,
        replication.maxOpenLeases,
        server.dataDir != null ? server.dataDir : SubnetHome.fromEnvironment().ledgerDir(),
        tasks.inputs,
        tasks.modelHash,
        ValidatorConfig.DEFAULT_BOS_ID,
        tasks.activations,
        tasks.similarityFloor);
  }
}
