package network.subnet.node.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import network.subnet.node.auth.ReplayGuard.Outcome;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private static final PublicKey ALICE = LocalSigner.generate().publicKey();
  private static final PublicKey BOB = LocalSigner.generate().publicKey();
  private static final long NOW = 1_700_000_000_000L;

  @Test
  void secondSightOfANonceIsAReplay() {
    ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), 100);
    assertThat(guard.check(ALICE, nonce(1), NOW, NOW)).isEqualTo(Outcome.FRESH);
    assertThat(guard.check(ALICE, nonce(1), NOW, NOW + 5_000)).isEqualTo(Outcome.REPLAYED);
    assertThat(guard.check(ALICE, nonce(2), NOW, NOW)).isEqualTo(Outcome.FRESH);
  }

  @Test
  void nonceIsScopedToItsKey() {
    ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), 100);
    assertThat(guard.check(ALICE, nonce(7), NOW, NOW)).isEqualTo(Outcome.FRESH);
    assertThat(guard.check(BOB, nonce(7), NOW, NOW)).isEqualTo(Outcome.FRESH);
  }

  @Test
  void entriesExpireOnceTheirTimestampLeavesTheWindow() {
    ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), 100);
    guard.check(ALICE, nonce(1), NOW, NOW);
    guard.check(ALICE, nonce(2), NOW + 20_000, NOW + 20_000);
    assertThat(guard.size()).isEqualTo(2);

    // Still inside the window for the first request: remembered.
    assertThat(guard.check(ALICE, nonce(1), NOW, NOW + 29_000)).isEqualTo(Outcome.REPLAYED);
    // Two seconds past it: the first bucket is gone, the second stays.
    guard.check(ALICE, nonce(3), NOW + 32_000, NOW + 32_000);
    assertThat(guard.size()).isEqualTo(2);
    assertThat(guard.check(ALICE, nonce(2), NOW + 20_000, NOW + 32_500))
        .isEqualTo(Outcome.REPLAYED);
  }

  @Test
  void refusesNewEntriesWhenFullInsteadOfGrowing() {
    ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), 3);
    for (int i = 0; i < 3; i++) {
      assertThat(guard.check(ALICE, nonce(i), NOW, NOW)).isEqualTo(Outcome.FRESH);
    }
    assertThat(guard.check(ALICE, nonce(99), NOW, NOW)).isEqualTo(Outcome.FULL);
    assertThat(guard.check(ALICE, nonce(0), NOW, NOW)).isEqualTo(Outcome.REPLAYED);
    assertThat(guard.size()).isEqualTo(3);
    // Room again once the old entries expire.
    assertThat(guard.check(ALICE, nonce(99), NOW + 40_000, NOW + 40_000)).isEqualTo(Outcome.FRESH);
    assertThat(guard.size()).isEqualTo(1);
  }

  @Test
  void timestampOlderThanTheWindowIsStaleNotRemembered() {
    ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), 100);
    assertThat(guard.check(ALICE, nonce(1), NOW - 31_000, NOW)).isEqualTo(Outcome.STALE);
    assertThat(guard.size()).isZero();
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(() -> new ReplayGuard(Duration.ZERO, 10)).hasMessageContaining("window");
    assertThatThrownBy(() -> new ReplayGuard(Duration.ofSeconds(1), 0))
        .hasMessageContaining("capacity");
  }

  @Test
  void concurrentChecksAcceptEachNonceExactlyOnceAndKeepUp() throws Exception {
    ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), ReplayGuard.DEFAULT_CAPACITY);
    int threads = 4;
    int perThread = 100_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<long[]>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(
            () -> {
              long cpuStart = CPU.getCurrentThreadCpuTime();
              long fresh = 0;
              // Every thread offers the same nonces: each must be accepted by exactly one of them.
              for (int i = 0; i < perThread; i++) {
                long ts = NOW + (i % 20) * 1000L;
                if (guard.check(ALICE, nonce(i), ts, NOW + 20_000) == Outcome.FRESH) {
                  fresh++;
                }
              }
              return new long[] {fresh, CPU.getCurrentThreadCpuTime() - cpuStart};
            });
      }
      long fresh = 0;
      long cpuNanos = 0;
      for (Future<long[]> f : pool.invokeAll(tasks)) {
        fresh += f.get()[0];
        cpuNanos += f.get()[1];
      }
      assertThat(fresh).isEqualTo(perThread);
      assertThat(guard.size()).isEqualTo(perThread);
      // Rate per CPU-second (JIT warm-up included), so other processes on a shared machine do not
      // make it flaky; the target is >= 100k checks per second on one core.
      assertThat(threads * perThread / (cpuNanos / 1e9)).isGreaterThan(100_000);
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] nonce(long n) {
    return ByteBuffer.allocate(16).putLong(0x5eed).putLong(n).array();
  }
}
