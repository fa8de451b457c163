package network.subnet.node.transport.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void burstThenRefillAtTheRateWithAnExactRetryHint() {
    RateLimiter<String> limiter = new RateLimiter<>(new RateLimit(2, 3), nanos::get, 100);
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(500_000_000L);
    assertThat(limiter.acquire("b")).as("keys have separate buckets").isZero();
    nanos.addAndGet(250_000_000L);
    assertThat(limiter.acquire("a")).isEqualTo(250_000_000L);
    nanos.addAndGet(250_000_000L);
    assertThat(limiter.acquire("a")).isZero();
    nanos.addAndGet(10_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("a")).as("refilled to the burst, not beyond").isZero();
    }
    assertThat(limiter.acquire("a")).isPositive();
  }

  @Test
  void limitChangesWhileServingAndUnlimitedTracksNothing() {
    RateLimiter<String> limiter = new RateLimiter<>(new RateLimit(1, 1), nanos::get, 100);
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isPositive();
    limiter.setLimit(RateLimit.UNLIMITED);
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.acquire("k" + i)).isZero();
    }
    assertThat(limiter.trackedKeys()).isEqualTo(1);
  }

  @Test
  void aFloodOfDistinctKeysCannotGrowMemoryPastTheCap() {
    RateLimiter<Integer> limiter = new RateLimiter<>(new RateLimit(1, 5), nanos::get, 1000);
    for (int i = 0; i < 100_000; i++) {
      limiter.acquire(i);
    }
    assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(1000);
  }

  @Test
  void parsesRateBurstAndUnlimitedAndNamesBadInput() {
    assertThat(RateLimit.parse("20")).isEqualTo(new RateLimit(20, 40));
    assertThat(RateLimit.parse("0.5/3")).isEqualTo(new RateLimit(0.5, 3));
    assertThat(RateLimit.parse("unlimited").unlimited()).isTrue();
    assertThat(new RateLimit(20, 40).describe()).isEqualTo("20/s, burst 40");
    assertThatThrownBy(() -> RateLimit.parse("fast")).hasMessageContaining("'fast'").hasMessageContaining("RATE/BURST");
    assertThatThrownBy(() -> RateLimit.parse("-1")).hasMessageContaining("must be positive");
  }
}
