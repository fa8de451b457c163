package network.subnet.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchLabelsCommandTest {

  @Test
  void jsonReportComparesRawAndCompact() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchLabelsCommand()).setOut(new PrintWriter(out));
    int code =
        cli.execute("--json", "--positions", "64", "--k", "64", "--seed", "3", "--runs", "1", "--warmup-ms", "0");
    assertThat(code).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("positions").asInt()).isEqualTo(64);
    JsonNode rows = report.get("rows");
    assertThat(rows).hasSize(6);
    for (int i = 0; i < rows.size(); i += 2) {
      JsonNode raw = rows.get(i);
      JsonNode compact = rows.get(i + 1);
      assertThat(raw.get("format").asText()).isEqualTo("raw");
      assertThat(compact.get("format").asText()).isEqualTo("compact");
      assertThat(raw.get("bytesPerEntry").asDouble()).isGreaterThan(8.0);
      assertThat(compact.get("bytesPerEntry").asDouble()).isLessThan(3.5);
      assertThat(compact.get("maxAbsError").asDouble()).isLessThanOrEqualTo(1e-3);
      assertThat(compact.get("decodeMBps").asDouble()).isPositive();
    }
  }

  @Test
  void tablePrintsAndBadOptionsFail() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchLabelsCommand()).setOut(new PrintWriter(out));
    assertThat(cli.execute("--positions", "8", "--k", "4", "--runs", "1", "--warmup-ms", "0")).isZero();
    assertThat(out.toString()).contains("compact", "raw", "bytes/entry");
    CommandLine bad = new CommandLine(new BenchLabelsCommand()).setErr(new PrintWriter(new StringWriter()));
    assertThat(bad.execute("--k", "0")).isNotZero();
  }
}
