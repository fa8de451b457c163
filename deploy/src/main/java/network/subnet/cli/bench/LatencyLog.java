package network.subnet.cli.bench;

import java.util.Arrays;
import java.util.Collection;

/** Latencies in nanoseconds recorded by one thread; merged after the run to read exact percentiles. */
final class LatencyLog {

  private long[] values = new long[64];
  private int size;

  void record(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  /** Every value of {@code logs}, sorted ascending. */
  static long[] merged(Collection<LatencyLog> logs) {
    long[] all = new long[logs.stream().mapToInt(l -> l.size).sum()];
    int at = 0;
    for (LatencyLog log : logs) {
      System.arraycopy(log.values, 0, all, at, log.size);
      at += log.size;
    }
    Arrays.sort(all);
    return all;
  }

  /** The nearest-rank percentile {@code p} (0..100) of sorted values, in milliseconds; NaN when there are none. */
  static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }
}
