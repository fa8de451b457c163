package network.subnet.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import network.subnet.validator.ValidatorConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ValidatorOptionsTest {

  @Command(name = "validator")
  static final class Holder {
    @Mixin ValidatorOptions options;
  }

  private static ValidatorConfig parse(String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.options.toConfig();
  }

  @Test
  void defaultsComeFromTheConfigConstants() {
    ValidatorConfig config = parse();
    ValidatorConfig defaults = ValidatorConfig.defaults();
    if (System.getenv().keySet().stream().noneMatch(k -> k.startsWith("SUBNET_"))) {
      assertThat(config).isEqualTo(defaults);
    }
    assertThat(config.replicas()).isEqualTo(ValidatorConfig.DEFAULT_REPLICAS);
    assertThat(config.topK()).isEqualTo(64);
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void flagsFillTheConfig() {
    ValidatorConfig config = parse("--port", "9001", "--replicas", "3", "--max-replicas", "6", "--lease-seconds", "5",
        "--top-k", "16", "--max-tokens", "256", "--epoch-seconds", "30", "--model-hash", "abc", "--input", "a.jsonl,b",
        "--input", "c.parquet", "--data-dir", "/tmp/v", "--min-top1-agreement", "0.9", "--max-logprob-diff", "0.01");
    assertThat(config.port()).isEqualTo(9001);
    assertThat(config.replicas()).isEqualTo(3);
    assertThat(config.maxReplicas()).isEqualTo(6);
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.topK()).isEqualTo(16);
    assertThat(config.maxTokens()).isEqualTo(256);
    assertThat(config.epochLength()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.modelHash()).isEqualTo("abc");
    assertThat(config.inputs()).containsExactly(Path.of("a.jsonl"), Path.of("b"), Path.of("c.parquet"));
    assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/v"));
    assertThat(config.minTop1Agreement()).isEqualTo(0.9);
    assertThat(config.maxLogProbDiff()).isEqualTo(0.01);
  }

  @Test
  void activationsAndTheirFloorFillTheConfig() {
    ValidatorConfig config = parse("--activations", "a.npy,acts", "--activations", "b.safetensors",
        "--similarity-floor", "0.995");
    assertThat(config.activations()).containsExactly(Path.of("a.npy"), Path.of("acts"), Path.of("b.safetensors"));
    assertThat(config.similarityFloor()).isEqualTo(0.995);
    assertThat(parse().similarityFloor()).isEqualTo(ValidatorConfig.DEFAULT_SIMILARITY_FLOOR);
    assertThatThrownBy(() -> parse("--similarity-floor", "0")).hasMessageContaining("similarity floor");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> parse("--replicas", "3", "--max-replicas", "2")).hasMessageContaining("max replicas (2)");
    assertThatThrownBy(() -> parse("--top-k", "0")).hasMessageContaining("top-k must be >= 1");
  }
}
