package network.subnet.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.labels.SyntheticSoftLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  @Test
  void measuresTeacherOutputLineByLine(@TempDir Path dir) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    long entries = 0;
    for (int seed = 1; seed <= 3; seed++) {
      SoftLabels labels = SyntheticSoftLabels.realistic(10 + seed, 8, 1000, true, seed);
      entries += (long) labels.positions() * labels.topK();
      var root = mapper.createObjectNode();
      var topk = root.putArray("topk");
      for (int p = 0; p < labels.positions(); p++) {
        var pos = topk.addObject();
        var ids = pos.putArray("ids");
        var lps = pos.putArray("logprobs");
        for (int j = 0; j < labels.topK(); j++) {
          ids.add(labels.tokenIds()[p][j]);
          lps.add(labels.logProbs()[p][j]);
        }
      }
      lines.add(mapper.writeValueAsString(root));
    }
    Path file = Files.write(dir.resolve("labels.jsonl"), lines);
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchLabelsCommand()).setOut(new PrintWriter(out));
    assertThat(cli.execute("--json", "--from", file.toString(), "--runs", "1", "--warmup-ms", "0")).isZero();
    JsonNode report = mapper.readTree(out.toString());
    assertThat(report.get("blobs").asInt()).isEqualTo(3);
    assertThat(report.get("positions").asLong() * report.get("k").asInt()).isEqualTo(entries);
    JsonNode rows = report.get("rows");
    assertThat(rows).hasSize(2);
    // RAW is 8 bytes an entry plus one 16-byte header per blob.
    assertThat(rows.get(0).get("bytesPerEntry").asDouble()).isEqualTo(8.0 + 3 * 16.0 / entries, within(1e-9));
    assertThat(rows.get(1).get("maxAbsError").asDouble()).isLessThanOrEqualTo(1e-3);

    Path ragged = Files.writeString(dir.resolve("ragged.jsonl"),
        "{\"topk\": [{\"ids\": [1, 2], \"logprobs\": [-0.1, -2.0]}, {\"ids\": [3], \"logprobs\": [-0.5]}]}\n");
    StringWriter err = new StringWriter();
    CommandLine bad = new CommandLine(new BenchLabelsCommand()).setErr(new PrintWriter(err));
    assertThat(bad.execute("--from", ragged.toString())).isNotZero();
    assertThat(err.toString()).contains("line 1 position 1");
  }
}
