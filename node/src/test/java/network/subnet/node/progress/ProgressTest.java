package network.subnet.node.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private final AtomicLong clock = new AtomicLong();
  private final List<String> lines = new ArrayList<>();

  private Progress progress(long total, Progress.Unit unit, boolean terminal) {
    return new Progress("loading", total, unit, terminal, lines::add, clock::get, Duration.ofSeconds(10));
  }

  @Test
  void aTerminalGetsARedrawnBarAndANewlineAtTheEnd() {
    try (Progress p = progress(4L << 30, Progress.Unit.BYTES, true)) {
      clock.set(1_000_000_000L);
      p.advance(1L << 30);
      clock.addAndGet(50_000_000L);
      p.advance(1);
    }
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("\rloading [========").contains(" 25% 1.0 GiB / 4.0 GiB")
        .contains("1.0 GiB/s").contains("3s left");
    assertThat(lines.get(1)).startsWith("\rloading [").endsWith(System.lineSeparator());
  }

  @Test
  void withoutATerminalShortWorkStaysQuietAndLongWorkLogsNowAndThen() {
    try (Progress p = progress(100, Progress.Unit.ITEMS, false)) {
      clock.set(2_000_000_000L);
      p.advance(50);
    }
    assertThat(lines).as("quiet when quick").isEmpty();

    clock.set(0);
    try (Progress p = progress(0, Progress.Unit.ITEMS, false)) {
      for (int i = 1; i <= 25; i++) {
        clock.set(i * 1_000_000_000L);
        p.advance(1000);
      }
    }
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("loading 10,000, 1,000/s");
    assertThat(lines.get(1)).isEqualTo("loading 20,000, 1,000/s");
    assertThat(lines.get(2)).isEqualTo("loading: done, 25,000 in 25s");
  }

  @Test
  void advancesAfterCloseAreIgnored() {
    Progress p = progress(10, Progress.Unit.ITEMS, false);
    p.close();
    p.advance(5);
    p.close();
    assertThat(p.done()).isZero();
  }
}
