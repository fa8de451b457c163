package network.subnet.miner.daemon;

import java.nio.file.Path;
import java.time.Duration;

/** Settings of one miner daemon. Defaults live in the DEFAULT_* constants; the CLI fills the rest. */
public record MinerConfig(
    String validatorAddress,
    Path keyFile,
    Path modelDir,
    String device,
    int maxBatch,
    Duration leaseWait,
    Duration drainTimeout,
    Duration progressInterval) {

  public static final String DEFAULT_VALIDATOR_ADDRESS = "127.0.0.1:7770";
  public static final String DEFAULT_DEVICE = "cpu";
  public static final int DEFAULT_MAX_BATCH = 4;
  public static final Duration DEFAULT_LEASE_WAIT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(10);

  public MinerConfig {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
    }
  }
}
