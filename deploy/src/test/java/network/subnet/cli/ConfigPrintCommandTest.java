package network.subnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import network.subnet.node.config.SubnetDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code subnet config print} over the real command tree: validator and miner options with their sources. */
class ConfigPrintCommandTest {

  @TempDir Path tmp;

  @Test
  void printsTheValidatorAndMinerWithSources() throws Exception {
    Path file = Files.writeString(tmp.resolve("subnet.yaml"), "validator:\n  replicas: 3\nminer:\n  max-batch: 8\n");
    CommandLine cli = SubnetCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = SubnetDefaults.execute(cli,
        new String[] {"--config", file.toString(), "config", "print", "--json"}, Map.of("SUBNET_METRICS_PORT", "9464"));
    assertThat(exit).as(err.toString()).isZero();
    JsonNode tree = new ObjectMapper().readTree(out.toString());
    assertThat(tree.fieldNames()).toIterable().containsExactly("validator", "miner");
    assertThat(tree.path("validator").findValuesAsText("option")).contains("--port", "--model", "--metrics-port",
        "--log-format");
    assertThat(find(tree.path("validator"), "--replicas").path("source").asText()).isEqualTo("file");
    assertThat(find(tree.path("miner"), "--max-batch").path("value").asText()).isEqualTo("8");
    assertThat(find(tree.path("miner"), "--metrics-port").path("from").asText()).isEqualTo("SUBNET_METRICS_PORT");
    assertThat(find(tree.path("validator"), "--port").path("source").asText()).isEqualTo("default");
  }

  private static JsonNode find(JsonNode entries, String option) {
    for (JsonNode e : entries) {
      if (e.path("option").asText().equals(option)) {
        return e;
      }
    }
    throw new AssertionError("no " + option + " in " + entries);
  }
}
