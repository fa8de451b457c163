package network.subnet.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Latencies in nanoseconds recorded by one thread, each with the time its call started; merged after the run to read
 * exact percentiles and to find the slowest calls.
 */
final class LatencyLog {

  /** One call: started at {@code startNanos} ({@link System#nanoTime}) and took {@code nanos}. */
  record Sample(long startNanos, long nanos) {}

  private long[] values = new long[64];
  private long[] starts = new long[64];
  private int size;

  void record(long startNanos, long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
      starts = Arrays.copyOf(starts, size * 2);
    }
    starts[size] = startNanos;
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

  /** The {@code count} slowest calls of {@code logs}, slowest first. */
  static List<Sample> slowest(Collection<LatencyLog> logs, int count) {
    PriorityQueue<Sample> top = new PriorityQueue<>(Comparator.comparingLong(Sample::nanos));
    for (LatencyLog log : logs) {
      for (int i = 0; i < log.size; i++) {
        if (top.size() < count) {
          top.add(new Sample(log.starts[i], log.values[i]));
        } else if (count > 0 && log.values[i] > top.peek().nanos()) {
          top.poll();
          top.add(new Sample(log.starts[i], log.values[i]));
        }
      }
    }
    List<Sample> out = new ArrayList<>(top);
    out.sort(Comparator.comparingLong(Sample::nanos).reversed());
    return out;
  }

  /** Every call of {@code logs} that took longer than {@code nanos}, in no particular order. */
  static List<Sample> slowerThan(Collection<LatencyLog> logs, long nanos) {
    List<Sample> out = new ArrayList<>();
    for (LatencyLog log : logs) {
      for (int i = 0; i < log.size; i++) {
        if (log.values[i] > nanos) {
          out.add(new Sample(log.starts[i], log.values[i]));
        }
      }
    }
    return out;
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
