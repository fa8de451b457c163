package network.subnet.validator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import network.subnet.node.config.SubnetHome;
import network.subnet.validator.verify.Tolerances;

/**
 * Everything a validator is configured with. The CLI fills it (flags, then {@code SUBNET_*} environment, then the
 * {@code DEFAULT_*} constants here); tests build it with {@link #defaults()} and the {@code with*} copies.
 *
 * @param inputs JSONL / Parquet files or directories tasks are read from
 * @param modelHash the teacher's model hash every task is bound to
 * @param bosId the tokenizer's BOS id, put at the start of every task window
 * @param maxReplicas the cap on replicas (tie-breaks included) before a task is left undecided
 * @param maxOpenLeasesPerMiner how many leases one miner may hold at once
 * @param activations {@code .npy} / {@code .safetensors} files or directories compress tasks are read from
 * @param similarityFloor the Apex similarity a compress result must reach to be credited
 */
public record ValidatorConfig(
    int port,
    int replicas,
    Duration leaseDuration,
    int topK,
    float temperature,
    int maxTokens,
    Duration epochLength,
    double minTop1Agreement,
    double maxLogProbDiff,
    int maxReplicas,
    int maxOpenLeasesPerMiner,
    Path dataDir,
    List<Path> inputs,
    String modelHash,
    int bosId,
    List<Path> activations,
    double similarityFloor) {

  public static final int DEFAULT_PORT = 7770;
  public static final int DEFAULT_REPLICAS = 2;
  public static final int DEFAULT_LEASE_SECONDS = 60;
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(DEFAULT_LEASE_SECONDS);
  public static final int DEFAULT_TOP_K = 64;
  public static final float DEFAULT_TEMPERATURE = 1.0f;
  public static final int DEFAULT_MAX_TOKENS = 1024;
  public static final int DEFAULT_EPOCH_SECONDS = 600;
  public static final Duration DEFAULT_EPOCH_LENGTH = Duration.ofSeconds(DEFAULT_EPOCH_SECONDS);
  public static final double DEFAULT_MIN_TOP1_AGREEMENT = Tolerances.DEFAULT_MIN_TOP1_AGREEMENT;
  public static final double DEFAULT_MAX_LOGPROB_DIFF = Tolerances.DEFAULT_MAX_MEAN_LOGPROB_DIFF;
  public static final int DEFAULT_MAX_REPLICAS = 5;
  public static final int DEFAULT_MAX_OPEN_LEASES_PER_MINER = 32;
  public static final int DEFAULT_BOS_ID = 1;
  public static final double DEFAULT_SIMILARITY_FLOOR = 0.99;

  public ValidatorConfig {
    inputs = List.copyOf(inputs);
    activations = List.copyOf(activations);
    require(similarityFloor > 0 && similarityFloor <= 1, "similarity floor must be in (0, 1], got " + similarityFloor);
    require(port >= 0 && port <= 65535, "port must be in 0..65535, got " + port);
    require(replicas >= 1, "replicas must be >= 1, got " + replicas);
    require(maxReplicas >= replicas, "max replicas (" + maxReplicas + ") must be >= replicas (" + replicas + ")");
    require(!leaseDuration.isNegative() && !leaseDuration.isZero(), "lease duration must be positive");
    require(topK >= 1, "top-k must be >= 1, got " + topK);
    require(temperature > 0 && Float.isFinite(temperature), "temperature must be > 0, got " + temperature);
    require(maxTokens >= 2, "max tokens must be >= 2, got " + maxTokens);
    require(!epochLength.isNegative() && !epochLength.isZero(), "epoch length must be positive");
    require(minTop1Agreement >= 0 && minTop1Agreement <= 1, "top-1 agreement must be in [0, 1]");
    require(maxLogProbDiff >= 0, "log-prob tolerance must be >= 0");
    require(maxOpenLeasesPerMiner >= 1, "max open leases per miner must be >= 1");
  }

  public static ValidatorConfig defaults() {
    return new ValidatorConfig(
        DEFAULT_PORT,
        DEFAULT_REPLICAS,
        DEFAULT_LEASE_DURATION,
        DEFAULT_TOP_K,
        DEFAULT_TEMPERATURE,
        DEFAULT_MAX_TOKENS,
        DEFAULT_EPOCH_LENGTH,
        DEFAULT_MIN_TOP1_AGREEMENT,
        DEFAULT_MAX_LOGPROB_DIFF,
        DEFAULT_MAX_REPLICAS,
        DEFAULT_MAX_OPEN_LEASES_PER_MINER,
        SubnetHome.fromEnvironment().ledgerDir(),
        List.of(),
        "",
        DEFAULT_BOS_ID,
        List.of(),
        DEFAULT_SIMILARITY_FLOOR);
  }

  public ValidatorConfig withReplicas(int n) {
    return new ValidatorConfig(port, n, leaseDuration, topK, temperature, maxTokens, epochLength, minTop1Agreement,
        maxLogProbDiff, Math.max(maxReplicas, n), maxOpenLeasesPerMiner, dataDir, inputs, modelHash, bosId,
        activations, similarityFloor);
  }

  public ValidatorConfig withLeaseDuration(Duration d) {
    return new ValidatorConfig(port, replicas, d, topK, temperature, maxTokens, epochLength, minTop1Agreement,
        maxLogProbDiff, maxReplicas, maxOpenLeasesPerMiner, dataDir, inputs, modelHash, bosId,
        activations, similarityFloor);
  }

  public ValidatorConfig withTeacher(String model, int k, int tokens) {
    return new ValidatorConfig(port, replicas, leaseDuration, k, temperature, tokens, epochLength, minTop1Agreement,
        maxLogProbDiff, maxReplicas, maxOpenLeasesPerMiner, dataDir, inputs, model, bosId, activations,
        similarityFloor);
  }

  public ValidatorConfig withEpochLength(Duration d) {
    return new ValidatorConfig(port, replicas, leaseDuration, topK, temperature, maxTokens, d, minTop1Agreement,
        maxLogProbDiff, maxReplicas, maxOpenLeasesPerMiner, dataDir, inputs, modelHash, bosId,
        activations, similarityFloor);
  }

  public ValidatorConfig withBosId(int bos) {
    return new ValidatorConfig(port, replicas, leaseDuration, topK, temperature, maxTokens, epochLength,
        minTop1Agreement, maxLogProbDiff, maxReplicas, maxOpenLeasesPerMiner, dataDir, inputs, modelHash, bos,
        activations, similarityFloor);
  }

  public ValidatorConfig withInputs(List<Path> in) {
    return new ValidatorConfig(port, replicas, leaseDuration, topK, temperature, maxTokens, epochLength,
        minTop1Agreement, maxLogProbDiff, maxReplicas, maxOpenLeasesPerMiner, dataDir, in, modelHash, bosId,
        activations, similarityFloor);
  }

  public ValidatorConfig withActivations(List<Path> files, double floor) {
    return new ValidatorConfig(port, replicas, leaseDuration, topK, temperature, maxTokens, epochLength,
        minTop1Agreement, maxLogProbDiff, maxReplicas, maxOpenLeasesPerMiner, dataDir, inputs, modelHash, bosId, files,
        floor);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
