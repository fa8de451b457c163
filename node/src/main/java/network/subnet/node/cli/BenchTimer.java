package network.subnet.node.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Times benchmark tasks on the calling thread, in thread CPU time where the JVM has it, so other load on a shared
 * machine does not count against the code under test.
 */
final class BenchTimer {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private BenchTimer() {}

  /**
   * Median time of one run, in seconds, after a warm-up of at least {@code minWarmUps} runs and {@code warmUpMs}
   * milliseconds, long enough for the JIT.
   */
  static double medianSeconds(Supplier<?> task, int runs, long warmUpMs, int minWarmUps) {
    long warmUpEnd = System.nanoTime() + warmUpMs * 1_000_000L;
    for (int i = 0; i < minWarmUps || System.nanoTime() < warmUpEnd; i++) {
      task.get();
    }
    double[] times = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = now();
      task.get();
      times[i] = (now() - start) / 1e9;
    }
    Arrays.sort(times);
    return times[runs / 2];
  }

  private static long now() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }
}
