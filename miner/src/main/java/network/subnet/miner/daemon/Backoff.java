package network.subnet.miner.daemon;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, so a fleet of miners does not reconnect to a restarted validator in step. */
final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private long nextMs;

  Backoff(Duration initial, Duration max) {
    this.initialMs = initial.toMillis();
    this.maxMs = max.toMillis();
    this.nextMs = initialMs;
  }

  /** The pause before the next try; each call doubles the ceiling up to the maximum. */
  Duration next() {
    long ceiling = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
  }

  void reset() {
    nextMs = initialMs;
  }
}
