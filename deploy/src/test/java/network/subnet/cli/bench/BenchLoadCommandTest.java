package network.subnet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

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

    int code = cli.execute("--miners", "20", "--duration-s", "2", "--channels", "2", "--json");

    assertThat(code).isZero();
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertThat(r.get("miners").asInt()).isEqualTo(20);
    assertThat(r.get("channels").asInt()).isEqualTo(2);
    assertThat(r.get("ok").asBoolean()).isTrue();
    assertThat(r.get("resultsLost").asLong()).isZero();
    assertThat(r.get("problems")).isEmpty();
    long granted = r.get("leasesGranted").asLong();
    long acknowledged = r.get("submissionsAcknowledged").asLong();
    assertThat(acknowledged).isPositive().isLessThanOrEqualTo(granted);
    // Each verified task took two acknowledged replicas; each verified task earned 16 tokens x 2 replicas.
    long verified = r.get("tasksVerified").asLong();
    assertThat(verified).isPositive().isLessThanOrEqualTo(acknowledged / 2);
    assertThat(r.get("creditsTotal").asLong()).isEqualTo(verified * 32).isEqualTo(r.get("creditsExpected").asLong());
    assertThat(r.get("leaseP50Ms").asDouble()).isPositive().isLessThanOrEqualTo(r.get("leaseP99Ms").asDouble());
    assertThat(r.get("leasesPerSecond").asDouble()).isPositive();
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
