package network.subnet.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileFormatsTest {

  @TempDir Path tmp;

  @Test
  void yamlSectionsGroupOptionsAndListsBecomeCommaSeparated() throws Exception {
    Path file = Files.writeString(tmp.resolve("subnet.yaml"), """
        # a validator
        validator:
          port: 7100
          input:
            - a.jsonl
            - "b c.parquet"   # quoted, with a space
        metrics_port: 9464
        """);
    assertThat(ConfigFile.read(file).values()).containsExactly(
        Map.entry("port", "7100"), Map.entry("input", "a.jsonl,b c.parquet"), Map.entry("metrics-port", "9464"));
  }

  @Test
  void tomlTablesGroupOptions() throws Exception {
    Path file = Files.writeString(tmp.resolve("subnet.toml"), """
        log-format = "json"
        [validator]
        replicas = 3
        similarity-floor = 0.995
        activations = ["x.npy", "y.npy"]
        [miner]
        validator = "10.0.0.1:7770"
        """);
    assertThat(ConfigFile.read(file).values()).containsExactly(Map.entry("log-format", "json"),
        Map.entry("replicas", "3"), Map.entry("similarity-floor", "0.995"), Map.entry("activations", "x.npy,y.npy"),
        Map.entry("validator", "10.0.0.1:7770"));
  }

  @Test
  void badFilesAreNamedWithTheProblem() throws Exception {
    Path twice = Files.writeString(tmp.resolve("twice.toml"), "[a]\nport = 1\n[b]\nport = 2\n");
    assertThatThrownBy(() -> ConfigFile.read(twice)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("twice.toml").hasMessageContaining("'port' is set twice (a.port and b.port)");
    Path broken = Files.writeString(tmp.resolve("broken.yaml"), "port: [1, 2\n");
    assertThatThrownBy(() -> ConfigFile.read(broken)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("broken.yaml line");
    Path scalar = Files.writeString(tmp.resolve("scalar.yml"), "just text\n");
    assertThatThrownBy(() -> ConfigFile.read(scalar)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected option names mapped to values");
    Path nested = Files.writeString(tmp.resolve("nested.yaml"), "input:\n  - {a: 1}\n");
    assertThatThrownBy(() -> ConfigFile.read(nested)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'input' must be a value or a list of values");
  }

  @Test
  void anEmptyYamlFileSetsNothing() throws Exception {
    assertThat(ConfigFile.read(Files.writeString(tmp.resolve("empty.yaml"), "# nothing yet\n")).values()).isEmpty();
  }
}
