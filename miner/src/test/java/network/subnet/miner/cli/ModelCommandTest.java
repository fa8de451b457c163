package network.subnet.miner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {

  @TempDir Path dir;

  @Test
  void initTinyIsDeterministicPerSeed() throws IOException {
    CliRun a = CliRun.of(new ModelCommand(), "init-tiny", "--out", dir.resolve("a").toString(), "--seed", "3");
    CliRun b = CliRun.of(new ModelCommand(), "init-tiny", "--out", dir.resolve("b").toString(), "--seed", "3");
    assertThat(a.exitCode()).as(a.err()).isZero();
    assertThat(b.exitCode()).isZero();
    String hashA = a.out().substring(a.out().indexOf("model hash ")).strip();
    String hashB = b.out().substring(b.out().indexOf("model hash ")).strip();
    assertThat(hashA).isEqualTo(hashB);
    assertThat(Files.readAllBytes(dir.resolve("a/model-00001-of-00002.safetensors")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b/model-00001-of-00002.safetensors")));
    assertThat(Files.exists(dir.resolve("a/tokenizer.json"))).isTrue();
  }

  @Test
  void unwritableOutputIsAnErrorWithoutStackTrace() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    CliRun r = CliRun.of(new ModelCommand(), "init-tiny", "--out", file.resolve("sub").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error:").doesNotContain("\tat ");
  }

  @Test
  void missingOutIsAUsageError() {
    assertThat(CliRun.of(new ModelCommand(), "init-tiny").exitCode()).isEqualTo(2);
  }
}
