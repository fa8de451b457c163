package network.subnet.node.transport.limits;

/** One bucket of a {@link RateLimiter}; time comes in as nanoseconds so tests can drive it. */
final class TokenBucket {

  private double tokens;
  private long lastNanos;

  TokenBucket(RateLimit limit, long nowNanos) {
    this.tokens = limit.burst();
    this.lastNanos = nowNanos;
  }

  /**
   * Takes one token if there is one and returns 0; otherwise takes nothing and returns how many
   * nanoseconds until one will be there.
   */
  synchronized long tryTake(RateLimit limit, long nowNanos) {
    refill(limit, nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / limit.perSecond() * 1e9);
  }

  /** Whether the bucket is full, i.e. forgetting it changes nothing. */
  synchronized boolean full(RateLimit limit, long nowNanos) {
    refill(limit, nowNanos);
    return tokens >= limit.burst();
  }

  private void refill(RateLimit limit, long nowNanos) {
    long elapsed = Math.max(0, nowNanos - lastNanos);
    lastNanos = nowNanos;
    tokens = Math.min(limit.burst(), tokens + elapsed * limit.perSecond() / 1e9);
  }
}
