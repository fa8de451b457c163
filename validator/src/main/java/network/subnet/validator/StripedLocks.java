package network.subnet.validator;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks picked by key hash: callers on the same key always share a lock, callers on different keys
 * rarely do, and no lock is ever allocated per key. Reentrant locks rather than monitors, so a virtual thread that
 * waits for one never pins its carrier.
 */
final class StripedLocks {

  private final Lock[] locks;

  /** {@code stripes} is rounded up to a power of two. */
  StripedLocks(int stripes) {
    int n = Integer.highestOneBit(Math.max(1, stripes - 1)) << 1;
    locks = new Lock[n];
    for (int i = 0; i < n; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  Lock of(Object key) {
    int h = key.hashCode();
    return locks[(h ^ (h >>> 16)) & (locks.length - 1)];
  }
}
