package network.subnet.node.transport.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a miner's public key, a client address). The limit can be changed
 * while serving. Memory stays bounded: past {@code maxKeys} buckets, the full ones (keys idle long
 * enough to have refilled, which forgetting changes nothing for) are dropped, and if that frees too
 * little (a flood of distinct keys) all are.
 */
public final class RateLimiter<K> {

  public static final int DEFAULT_MAX_KEYS = 100_000;

  private final ConcurrentHashMap<K, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final LongSupplier nanos;
  private final int maxKeys;
  private volatile RateLimit limit;

  public RateLimiter(RateLimit limit, LongSupplier nanos, int maxKeys) {
    this.limit = limit;
    this.nanos = nanos;
    this.maxKeys = maxKeys;
  }

  public RateLimiter(RateLimit limit) {
    this(limit, System::nanoTime, DEFAULT_MAX_KEYS);
  }

  public RateLimit limit() {
    return limit;
  }

  public void setLimit(RateLimit limit) {
    this.limit = limit;
  }

  /** 0 if {@code key} may go ahead (a token was taken), else nanoseconds until it may retry. */
  public long acquire(K key) {
    RateLimit current = limit;
    if (current.unlimited()) {
      return 0;
    }
    long now = nanos.getAsLong();
    if (buckets.size() >= maxKeys) {
      buckets.values().removeIf(b -> b.full(current, now));
      // Still crowded: a flood of distinct keys. Forgetting all of them costs a burst each, not memory.
      if (buckets.size() > maxKeys / 2) {
        buckets.clear();
      }
    }
    return buckets.computeIfAbsent(key, k -> new TokenBucket(current, now)).tryTake(current, now);
  }

  int trackedKeys() {
    return buckets.size();
  }
}
