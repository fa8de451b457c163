package network.subnet.validator.security;

import network.subnet.node.transport.NodeServer;
import network.subnet.node.transport.ServerSecurity;
import network.subnet.node.transport.limits.RateLimit;

/**
 * How a validator's server protects itself: TLS or plaintext, the largest message it accepts, and
 * how many miner calls one key and one address may make.
 *
 * <p>The message limit bounds what one call can make the validator buffer; 64 MiB holds the
 * largest compress result (an activation matrix's blob) with room to spare, and anything bigger is
 * answered RESOURCE_EXHAUSTED by gRPC before it is parsed.
 *
 * @param perKey token bucket per verified miner key, over all MinerService calls
 * @param perAddress token bucket per client IP address, checked before signatures are verified
 */
public record ServerPolicy(
    ServerSecurity security, int maxInboundMessageSize, RateLimit perKey, RateLimit perAddress) {

  public static final int DEFAULT_MAX_MESSAGE_MIB = NodeServer.DEFAULT_MAX_INBOUND_MESSAGE_SIZE >> 20;
  /** A miner long-polls, submits and heartbeats: a few calls a second at most. */
  public static final RateLimit DEFAULT_PER_KEY = new RateLimit(20, 40);
  /** Room for many miners behind one NAT address. */
  public static final RateLimit DEFAULT_PER_ADDRESS = new RateLimit(200, 400);

  public ServerPolicy {
    if (maxInboundMessageSize <= 0) {
      throw new IllegalArgumentException(
          "max message size must be positive, got " + maxInboundMessageSize);
    }
  }

  /** The defaults with {@code security}. */
  public static ServerPolicy of(ServerSecurity security) {
    return new ServerPolicy(
        security, NodeServer.DEFAULT_MAX_INBOUND_MESSAGE_SIZE, DEFAULT_PER_KEY, DEFAULT_PER_ADDRESS);
  }

  /** Plaintext and no rate limits: for tests and benchmarks on loopback. */
  public static ServerPolicy loopbackTesting() {
    return new ServerPolicy(
        ServerSecurity.insecure(),
        NodeServer.DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
        RateLimit.UNLIMITED,
        RateLimit.UNLIMITED);
  }

  public ServerPolicy withRateLimits(RateLimit perKey, RateLimit perAddress) {
    return new ServerPolicy(security, maxInboundMessageSize, perKey, perAddress);
  }

  public ServerPolicy withMaxInboundMessageSize(int bytes) {
    return new ServerPolicy(security, bytes, perKey, perAddress);
  }
}
