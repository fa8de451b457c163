package network.subnet.node.auth;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import network.subnet.node.identity.PublicKey;

/**
 * Remembers the (key, nonce) pairs of recently accepted requests so that none is accepted twice.
 *
 * <p>Entries are bucketed by the second of the request's own timestamp. A replay repeats the signed
 * timestamp, so it can only collide inside one bucket, and a whole bucket is dropped at once when
 * its timestamps fall out of the acceptance window; requests already outside it are refused as
 * {@link Outcome#STALE} without being remembered. Memory is bounded: past {@code capacity} live
 * entries new requests are refused rather than remembered, so a flood cannot grow the heap. The
 * bound is soft by at most the number of threads checking at once: a check is one concurrent-set
 * insert and a striped counter bump, with no lock, and the count is recomputed at each eviction.
 */
public final class ReplayGuard {

  public static final int DEFAULT_CAPACITY = 1_000_000;

  /** What became of a request's nonce. */
  public enum Outcome {
    /** First sight: now remembered. */
    FRESH,
    /** Seen before inside the window. */
    REPLAYED,
    /**
     * The timestamp is older than the window: the guard could no longer tell a replay, so it
     * refuses.
     */
    STALE,
    /** Too many live entries to remember another; refuse the request and let the sender retry. */
    FULL
  }

  private final long windowMs;
  private final long capacity;
  private final ConcurrentSkipListMap<Long, Set<Entry>> bucketsBySecond =
      new ConcurrentSkipListMap<>();
  private final LongAdder size = new LongAdder();
  private final ReentrantLock evicting = new ReentrantLock();
  private volatile long nextEvictionMs = Long.MIN_VALUE;

  /**
   * @param window how long after its timestamp a request can still be accepted (the server's clock
   *     skew allowance)
   * @param capacity most entries held at once
   */
  public ReplayGuard(Duration window, long capacity) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("replay window must be positive, got " + window);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("replay guard capacity must be positive, got " + capacity);
    }
    this.windowMs = window.toMillis();
    this.capacity = capacity;
  }

  /**
   * Records the 16-byte nonce and says whether it was fresh. {@code nowMs} drives eviction of
   * expired buckets.
   */
  public Outcome check(PublicKey key, byte[] nonce, long timestampMs, long nowMs) {
    if (nowMs >= nextEvictionMs) {
      evictExpired(nowMs);
    }
    if (timestampMs < nowMs - windowMs) {
      return Outcome.STALE;
    }
    Entry entry = Entry.of(key, nonce);
    Set<Entry> bucket =
        bucketsBySecond.computeIfAbsent(
            Math.floorDiv(timestampMs, 1000), s -> ConcurrentHashMap.newKeySet());
    if (bucket.contains(entry)) {
      return Outcome.REPLAYED;
    }
    if (size.sum() >= capacity) {
      return Outcome.FULL;
    }
    if (!bucket.add(entry)) {
      return Outcome.REPLAYED;
    }
    size.increment();
    return Outcome.FRESH;
  }

  /** Entries currently remembered (exact when no check runs at the same time). */
  public long size() {
    return size.sum();
  }

  private void evictExpired(long nowMs) {
    if (!evicting.tryLock()) {
      return; // another thread is at it
    }
    try {
      if (nowMs < nextEvictionMs) {
        return;
      }
      // A bucket holds timestamps up to (second + 1) * 1000 - 1; it may go once all of them are
      // older than the window.
      long firstLiveSecond = Math.floorDiv(nowMs - windowMs, 1000);
      bucketsBySecond.headMap(firstLiveSecond).clear();
      long live = 0;
      for (Set<Entry> bucket : bucketsBySecond.values()) {
        live += bucket.size();
      }
      // Inserts racing with this recount may be missed by a few; the next eviction corrects it.
      size.reset();
      size.add(live);
      nextEvictionMs = nowMs + 1000;
    } finally {
      evicting.unlock();
    }
  }

  /**
   * Key and nonce packed into longs: cheap to hash and compare, and no byte-array copies kept
   * alive.
   */
  private record Entry(long k0, long k1, long k2, long k3, long n0, long n1) {
    static Entry of(PublicKey key, byte[] nonce) {
      ByteBuffer k = ByteBuffer.wrap(key.bytes());
      ByteBuffer n = ByteBuffer.wrap(nonce);
      return new Entry(
          k.getLong(), k.getLong(), k.getLong(), k.getLong(), n.getLong(), n.getLong());
    }
  }
}
