package network.subnet.node.auth;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import network.subnet.node.identity.PublicKey;

/**
 * Remembers the (key, nonce) pairs of recently accepted requests so that none is accepted twice.
 *
 * <p>Entries are bucketed by the second of the request's own timestamp. A replay repeats the signed timestamp, so it
 * can only collide inside one bucket, and a whole bucket is dropped at once when its timestamps fall out of the
 * acceptance window (the server refuses those as stale before they get here). Memory is bounded: past {@code
 * capacity} live entries new requests are refused rather than remembered, so a flood cannot grow the heap. Recording
 * takes a shared lock and one concurrent-set insert; only the once-a-second eviction takes the exclusive lock.
 */
public final class ReplayGuard {

  public static final int DEFAULT_CAPACITY = 1_000_000;

  /** What became of a request's nonce. */
  public enum Outcome {
    /** First sight: now remembered. */
    FRESH,
    /** Seen before inside the window. */
    REPLAYED,
    /** Too many live entries to remember another; refuse the request and let the sender retry. */
    FULL
  }

  private final long windowMs;
  private final long capacity;
  private final ConcurrentSkipListMap<Long, Set<Entry>> bucketsBySecond = new ConcurrentSkipListMap<>();
  private final AtomicLong size = new AtomicLong();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile long nextEvictionMs = Long.MIN_VALUE;

  /**
   * @param window how long after its timestamp a request can still be accepted (the server's clock skew allowance)
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

  /** Records the nonce and says whether it was fresh. {@code nowMs} drives eviction of expired buckets. */
  public Outcome check(PublicKey key, byte[] nonce, long timestampMs, long nowMs) {
    if (nowMs >= nextEvictionMs) {
      evictExpired(nowMs);
    }
    Entry entry = Entry.of(key, nonce);
    lock.readLock().lock();
    try {
      Set<Entry> bucket = bucketsBySecond.computeIfAbsent(Math.floorDiv(timestampMs, 1000), s -> ConcurrentHashMap.newKeySet());
      if (bucket.contains(entry)) {
        return Outcome.REPLAYED;
      }
      if (size.incrementAndGet() > capacity) {
        size.decrementAndGet();
        return Outcome.FULL;
      }
      if (!bucket.add(entry)) {
        size.decrementAndGet();
        return Outcome.REPLAYED;
      }
      return Outcome.FRESH;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Entries currently remembered. */
  public long size() {
    return size.get();
  }

  private void evictExpired(long nowMs) {
    lock.writeLock().lock();
    try {
      if (nowMs < nextEvictionMs) {
        return;
      }
      // A bucket holds timestamps up to (second + 1) * 1000 - 1; it may go once all of them are older than the window.
      long firstLiveSecond = Math.floorDiv(nowMs - windowMs, 1000);
      Iterator<Map.Entry<Long, Set<Entry>>> expired = bucketsBySecond.headMap(firstLiveSecond).entrySet().iterator();
      while (expired.hasNext()) {
        size.addAndGet(-expired.next().getValue().size());
        expired.remove();
      }
      nextEvictionMs = nowMs + 1000;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Key and nonce packed into longs: cheap to hash and compare, and no byte-array copies kept alive. */
  private record Entry(long k0, long k1, long k2, long k3, long n0, long n1) {
    static Entry of(PublicKey key, byte[] nonce) {
      ByteBuffer k = ByteBuffer.wrap(key.bytes());
      ByteBuffer n = ByteBuffer.wrap(nonce);
      return new Entry(k.getLong(), k.getLong(), k.getLong(), k.getLong(), n.getLong(), n.getLong());
    }
  }
}
