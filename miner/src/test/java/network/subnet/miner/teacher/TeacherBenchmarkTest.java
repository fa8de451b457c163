package network.subnet.miner.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import network.subnet.node.model.MistralConfig;
import org.junit.jupiter.api.Test;

class TeacherBenchmarkTest {

  @Test
  void countsFlopsAndReportsARatio() {
    MistralConfig small = new MistralConfig(512, 64, 128, 2, 4, 2, 16, 1e-5, 1e4, false);
    TeacherBenchmark.Result r = TeacherBenchmark.run(small, 32, 8, 1, 3, TeacherOptions.defaults());
    assertThat(r.tokens()).isEqualTo(32);
    assertThat(r.prefillSeconds()).isPositive();
    assertThat(r.tokensPerSecond()).isCloseTo(32 / r.prefillSeconds(), within(1e-6));
    assertThat(r.utilization()).isPositive();
    assertThat(r.matmulFlopsPerSecond()).isPositive();
    // Per token: 2 FLOPs per weight outside the embeddings (layers' projections and lm_head).
    double weights = 2 * (64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128) + 512 * 64;
    double attention = 4.0 * (32 * 33 / 2) * 4 * 16 * 2;
    assertThat(r.modelFlops()).isCloseTo(2 * weights * 32 + attention, within(1.0));
  }

  @Test
  void midSizeModelIsAbout100MParameters() {
    long p = TeacherBenchmark.MID_SIZE.parameterCount();
    assertThat(p).isBetween(100_000_000L, 130_000_000L);
  }
}
