package network.subnet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchLoadCommandTest {

  @Test
  void simulatedMinersGetVerdictsAndLoseNoAcknowledgedResult() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchLoadCommand());
    cli.setOut(new PrintWriter(out));

    int code = cli.execute("--miners", "20", "--warmup-s", "1", "--duration-s", "2", "--channels", "2", "--json");

    assertThat(code).isZero();
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertThat(r.get("miners").asInt()).isEqualTo(20);
    assertThat(r.get("channels").asInt()).isEqualTo(2);
    assertThat(r.get("ok").asBoolean()).isTrue();
    assertThat(r.get("resultsLost").asLong()).isZero();
    assertThat(r.get("problems")).isEmpty();
    assertThat(r.get("leasesGranted").asLong()).isPositive();
    assertThat(r.get("submissionsAcknowledged").asLong()).isPositive();
    // Each verified task earned 16 tokens x 2 replicas, warm-up included.
    long verified = r.get("tasksVerified").asLong();
    assertThat(r.get("tasksVerifiedMeasured").asLong()).isPositive().isLessThanOrEqualTo(verified);
    assertThat(r.get("creditsTotal").asLong()).isEqualTo(verified * 32).isEqualTo(r.get("creditsExpected").asLong());
    assertThat(r.get("leaseP50Ms").asDouble()).isPositive().isLessThanOrEqualTo(r.get("leaseP99Ms").asDouble());
    assertThat(r.get("leasesPerSecond").asDouble()).isPositive();
    // The slowest leases are listed slowest first, each inside the run and no slower than the maximum.
    JsonNode slowest = r.get("slowestLeases");
    assertThat(slowest).isNotEmpty().hasSizeLessThanOrEqualTo(LoadBenchmark.SLOWEST_LISTED);
    assertThat(slowest.get(0).get("ms").asDouble()).isEqualTo(r.get("leaseMaxMs").asDouble());
    for (int i = 1; i < slowest.size(); i++) {
      assertThat(slowest.get(i).get("ms").asDouble()).isLessThanOrEqualTo(slowest.get(i - 1).get("ms").asDouble());
    }
    assertThat(slowest.get(0).get("atMs").asDouble()).isPositive().isLessThan(r.get("windowEndMs").asDouble());
    assertThat(r.get("windowEndMs").asDouble() - r.get("windowStartMs").asDouble()).isCloseTo(2_000, within(1.0));
    JsonNode over = r.get("overTarget");
    long slow = over.get("leases").asLong();
    assertThat(slow).isBetween(0L, r.get("leaseCalls").asLong());
    assertThat(over.get("besideNeither").asLong()).isBetween(0L, slow);
    assertThat(over.get("besideGcPause").asLong() + over.get("besideSlowCommit").asLong())
        .isGreaterThanOrEqualTo(slow - over.get("besideNeither").asLong());
  }

  @Test
  void unknownStorageIsRefusedWithAClearMessage() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchLoadCommand());
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("--storage", "tape");

    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("--storage must be memory or rocksdb");
  }
}
