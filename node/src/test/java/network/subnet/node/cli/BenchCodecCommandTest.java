package network.subnet.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCodecCommandTest {

  @Test
  void jsonReportHasEveryRungAgainstZstd() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCodecCommand()).setOut(new PrintWriter(out));
    int code = cli.execute("--json", "--sizes", "16K", "--runs", "1", "--warmup-ms", "0");
    assertThat(code).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    JsonNode rows = report.get("rows");
    assertThat(rows).hasSize(4 * 7);
    for (JsonNode r : rows) {
      assertThat(r.get("zstd3Ratio").asDouble()).isGreaterThan(1.0);
      assertThat(r.get("vsZstd3").asDouble()).isEqualTo(r.get("ratio").asDouble() / r.get("zstd3Ratio").asDouble());
      assertThat(r.get("encodeMBps").asDouble()).isPositive();
      assertThat(r.get("decodeMBps").asDouble()).isPositive();
      String rung = r.get("rung").asText();
      double floor = rung.equals("lossy") ? 0.99 : rung.equals("lossless") ? 1 : 0.999;
      assertThat(r.get("similarity").asDouble()).isGreaterThanOrEqualTo(floor);
      if (r.get("rung").asText().equals("lossy")) {
        assertThat(r.get("vsZstd3").asDouble()).isGreaterThan(1.5);
      }
    }
  }

  @Test
  void fp32MatricesAreMeasuredInTheirOwnBytes() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCodecCommand()).setOut(new PrintWriter(out));
    int code = cli.execute("--json", "--dtype", "f32", "--sizes", "16K", "--runs", "1", "--warmup-ms", "0");
    assertThat(code).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("dtype").asText()).isEqualTo("f32");
    for (JsonNode r : report.get("rows")) {
      assertThat(r.get("bytes").asLong()).isEqualTo(16 * 1024);
      if (r.get("rung").asText().equals("lossy")) {
        // fp32 carries 16 more mantissa bits that the lossy rung drops: far above zstd's ratio on the same bytes.
        assertThat(r.get("vsZstd3").asDouble()).isGreaterThan(2.5);
      }
    }
    CommandLine bad = new CommandLine(new BenchCodecCommand()).setErr(new PrintWriter(new StringWriter()));
    assertThat(bad.execute("--dtype", "f16")).isNotZero();
  }

  @Test
  void tablePrintsAndBadSizesFail() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCodecCommand()).setOut(new PrintWriter(out));
    assertThat(cli.execute("--sizes", "8K", "--runs", "1", "--warmup-ms", "0")).isZero();
    assertThat(out.toString()).contains("vs zstd", "e8/1", "plane/1", "near-lossless");
    CommandLine bad = new CommandLine(new BenchCodecCommand()).setErr(new PrintWriter(new StringWriter()));
    assertThat(bad.execute("--sizes", "1G")).isNotZero();
  }
}
