package network.subnet.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import network.subnet.node.cli.ConfigCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code config print} reports each option's value and its source, following the real precedence. */
class ConfigPrintTest {

  @TempDir Path tmp;

  @Command(name = "subnet")
  static final class Root implements Runnable {
    @Mixin ConfigFileOption config;

    @Override
    public void run() {}
  }

  @Command(name = "validator")
  static final class Validator implements Runnable {
    @Option(names = "--model", required = true)
    Path model;

    @Option(names = "--port", defaultValue = "7770")
    int port;

    @Option(names = "--replicas")
    int replicas = 2;

    @Option(names = "--data-dir")
    Path dataDir;

    @Option(names = "--input", split = ",")
    List<Path> inputs = List.of();

    @Override
    public void run() {}
  }

  private record Run(int exit, String out, String err) {}

  private Run run(Map<String, String> env, String... args) {
    CommandLine cl = new CommandLine(new Root()).addSubcommand(new Validator()).addSubcommand(new ConfigCommand());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = SubnetDefaults.execute(cl, args, env);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void eachValueNamesItsSource() throws Exception {
    Path file = Files.writeString(tmp.resolve("subnet.toml"), "[validator]\ndata-dir = \"/var/lib/subnet\"\n"
        + "input = [\"a.jsonl\", \"b.jsonl\"]\nreplicas = 9\n");
    Run run = run(Map.of("SUBNET_REPLICAS", "3"), "--config", file.toString(), "config", "print", "--json",
        "validator", "--", "--port", "7000");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode validator = new ObjectMapper().readTree(run.out()).path("validator");
    assertThat(entry(validator, "--port")).isEqualTo(List.of("7000", "flag", ""));
    assertThat(entry(validator, "--replicas")).isEqualTo(List.of("3", "env", "SUBNET_REPLICAS"));
    assertThat(entry(validator, "--data-dir")).isEqualTo(List.of("/var/lib/subnet", "file", file.toString()));
    assertThat(entry(validator, "--input")).isEqualTo(List.of("a.jsonl,b.jsonl", "file", file.toString()));
    assertThat(entry(validator, "--model")).as("required, yet only reported").isEqualTo(List.of("", "default", ""));
  }

  @Test
  void theTableIsReadableAndDefaultsShow() {
    Run run = run(Map.of(), "config", "print", "validator");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("validator\n").containsPattern("--port +7770 +default")
        .containsPattern("--data-dir +- +default");
  }

  @Test
  void unknownCommandsAndFlagsAreNamed() {
    Run unknown = run(Map.of(), "config", "print", "nosuch");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no command 'nosuch'").contains("validator");
    Run badFlag = run(Map.of(), "config", "print", "validator", "--", "--prot", "1");
    assertThat(badFlag.exit()).isEqualTo(2);
    assertThat(badFlag.err()).contains("validator: ").contains("--prot");
  }

  private static List<String> entry(JsonNode entries, String option) {
    for (JsonNode e : entries) {
      if (e.path("option").asText().equals(option)) {
        return List.of(e.path("value").asText(), e.path("source").asText(), e.path("from").asText());
      }
    }
    throw new AssertionError("no entry for " + option + " in " + entries);
  }
}
