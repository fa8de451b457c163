package network.subnet.node.transport;

import java.time.Clock;
import java.time.Duration;

/**
 * How a miner's {@link GrpcValidatorApi} talks to its validator.
 *
 * @param callTimeout deadline of every call but lease
 * @param leaseMargin added to a lease's wait for its deadline, so a full long-poll still has time
 *     to answer
 * @param maxInboundMessageSize largest response accepted (leases carry activation matrices)
 * @param keepAliveTime how often an idle connection is pinged, to notice a vanished validator or
 *     NAT drop
 * @param clock stamps each request signature; it must agree with the validator's within its skew
 *     allowance
 */
public record ClientOptions(
    Duration callTimeout,
    Duration leaseMargin,
    int maxInboundMessageSize,
    Duration keepAliveTime,
    Clock clock) {

  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LEASE_MARGIN = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 64 << 20;
  public static final Duration DEFAULT_KEEP_ALIVE_TIME = Duration.ofSeconds(30);

  public ClientOptions {
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("call timeout must be positive, got " + callTimeout);
    }
    if (leaseMargin.isNegative()) {
      throw new IllegalArgumentException("lease margin must not be negative, got " + leaseMargin);
    }
    if (maxInboundMessageSize <= 0) {
      throw new IllegalArgumentException(
          "max inbound message size must be positive, got " + maxInboundMessageSize);
    }
  }

  public static ClientOptions defaults() {
    return new ClientOptions(
        DEFAULT_CALL_TIMEOUT,
        DEFAULT_LEASE_MARGIN,
        DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
        DEFAULT_KEEP_ALIVE_TIME,
        Clock.systemUTC());
  }

  public ClientOptions withClock(Clock clock) {
    return new ClientOptions(callTimeout, leaseMargin, maxInboundMessageSize, keepAliveTime, clock);
  }

  public ClientOptions withCallTimeout(Duration timeout) {
    return new ClientOptions(timeout, leaseMargin, maxInboundMessageSize, keepAliveTime, clock);
  }
}
