package network.subnet.validator.cli;

import network.subnet.validator.TrustConfig;
import picocli.CommandLine.Option;

/** The validator's trust options: gold tasks, adaptive replication, and what counts as one operator. */
public final class TrustOptions {

  @Option(names = "--gold-fraction", defaultValue = "" + TrustConfig.DEFAULT_GOLD_FRACTION,
      description = "Share of distill tasks the validator answers itself and checks miners against; needs the "
          + "reference teacher (default: ${DEFAULT-VALUE}).")
  double goldFraction = TrustConfig.DEFAULT_GOLD_FRACTION;

  @Option(names = "--trust-threshold", defaultValue = "" + TrustConfig.DEFAULT_TRUST_THRESHOLD,
      description = "Consecutive verified results after which a miner's tasks are replicated with probability "
          + "1/consecutive only (default: ${DEFAULT-VALUE}).")
  int trustThreshold = TrustConfig.DEFAULT_TRUST_THRESHOLD;

  @Option(names = "--operator-prefix-v4", defaultValue = "" + TrustConfig.DEFAULT_OPERATOR_PREFIX_V4,
      description = "Miners registering from one IPv4 prefix of this length count as one operator: never two "
          + "replicas of one task; 0 turns it off (default: ${DEFAULT-VALUE}).")
  int operatorPrefixV4 = TrustConfig.DEFAULT_OPERATOR_PREFIX_V4;

  @Option(names = "--operator-prefix-v6", defaultValue = "" + TrustConfig.DEFAULT_OPERATOR_PREFIX_V6,
      description = "The same for IPv6 (default: ${DEFAULT-VALUE}).")
  int operatorPrefixV6 = TrustConfig.DEFAULT_OPERATOR_PREFIX_V6;

  @Option(names = "--operator-loopback", defaultValue = "false",
      description = "Apply the operator rule to loopback addresses too (off by default, so a devnet on one machine "
          + "works).")
  boolean operatorLoopback;

  @Option(names = "--max-keys-per-operator", defaultValue = "" + TrustConfig.DEFAULT_MAX_KEYS_PER_OPERATOR,
      description = "Miner keys one operator prefix may register; 0: no limit (default: ${DEFAULT-VALUE}).")
  int maxKeysPerOperator = TrustConfig.DEFAULT_MAX_KEYS_PER_OPERATOR;

  /** The config these options describe; throws {@link IllegalArgumentException} naming a bad value. */
  public TrustConfig toConfig() {
    return new TrustConfig(goldFraction, trustThreshold, operatorPrefixV4, operatorPrefixV6, !operatorLoopback,
        maxKeysPerOperator);
  }
}
