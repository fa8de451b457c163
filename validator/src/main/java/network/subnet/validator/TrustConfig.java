package network.subnet.validator;

/**
 * How the validator decides whom to trust, beside {@link ValidatorConfig}.
 *
 * @param goldFraction the share of distill tasks whose answer the validator computes itself (gold tasks); they run on
 *     one replica and are checked against that answer. Needs a reference teacher; without one no task is gold.
 * @param trustThreshold consecutive verified results after which a miner's tasks are replicated with probability
 *     {@code 1 / consecutive} only (BOINC adaptive replication)
 * @param operatorPrefixV4 IPv4 prefix length taken as one operator: miners registering from the same prefix are
 *     never given replicas of the same task (0: off)
 * @param operatorPrefixV6 the same for IPv6 (0: off)
 * @param exemptLoopback whether loopback addresses are exempt from the operator rule (a devnet on one machine)
 * @param maxKeysPerOperator keys one operator prefix may register (0: no limit)
 */
public record TrustConfig(
    double goldFraction,
    int trustThreshold,
    int operatorPrefixV4,
    int operatorPrefixV6,
    boolean exemptLoopback,
    int maxKeysPerOperator) {

  public static final double DEFAULT_GOLD_FRACTION = 0.05;
  public static final int DEFAULT_TRUST_THRESHOLD = 10;
  public static final int DEFAULT_OPERATOR_PREFIX_V4 = 24;
  public static final int DEFAULT_OPERATOR_PREFIX_V6 = 48;
  public static final int DEFAULT_MAX_KEYS_PER_OPERATOR = 16;

  public TrustConfig {
    if (!(goldFraction >= 0 && goldFraction < 1)) {
      throw new IllegalArgumentException("gold fraction must be in [0, 1), got " + goldFraction);
    }
    if (trustThreshold < 1) {
      throw new IllegalArgumentException("trust threshold must be >= 1, got " + trustThreshold);
    }
    if (operatorPrefixV4 < 0 || operatorPrefixV4 > 32) {
      throw new IllegalArgumentException("IPv4 operator prefix must be in 0..32, got " + operatorPrefixV4);
    }
    if (operatorPrefixV6 < 0 || operatorPrefixV6 > 128) {
      throw new IllegalArgumentException("IPv6 operator prefix must be in 0..128, got " + operatorPrefixV6);
    }
    if (maxKeysPerOperator < 0) {
      throw new IllegalArgumentException("max keys per operator must be >= 0, got " + maxKeysPerOperator);
    }
  }

  public static TrustConfig defaults() {
    return new TrustConfig(DEFAULT_GOLD_FRACTION, DEFAULT_TRUST_THRESHOLD, DEFAULT_OPERATOR_PREFIX_V4,
        DEFAULT_OPERATOR_PREFIX_V6, true, DEFAULT_MAX_KEYS_PER_OPERATOR);
  }

  /**
   * Every task keeps its full replica count and none is gold: the validator's behaviour before trust existed, kept
   * for callers that count replicas exactly (benchmarks, tests of other concerns).
   */
  public static TrustConfig fixedReplication() {
    return defaults().withGoldFraction(0).withTrustThreshold(Integer.MAX_VALUE);
  }

  public TrustConfig withGoldFraction(double fraction) {
    return new TrustConfig(fraction, trustThreshold, operatorPrefixV4, operatorPrefixV6, exemptLoopback,
        maxKeysPerOperator);
  }

  public TrustConfig withTrustThreshold(int threshold) {
    return new TrustConfig(goldFraction, threshold, operatorPrefixV4, operatorPrefixV6, exemptLoopback,
        maxKeysPerOperator);
  }
}
