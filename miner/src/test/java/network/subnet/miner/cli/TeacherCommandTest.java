package network.subnet.miner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import network.subnet.node.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void printsIdsAndTopKPerPosition() throws IOException {
    String model = TinyModels.checkpoint().toString();
    CliRun r = CliRun.of(new TeacherCommand(), "--model", model, "--top-k", "5", "--text", "the teacher model");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("loaded").contains("MiB");
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode root = JSON.readTree(lines[0]);
    JsonNode ids = root.get("ids");
    assertThat(ids.get(0).asInt()).isEqualTo(1);
    assertThat(root.get("topk")).hasSize(ids.size());
    JsonNode first = root.get("topk").get(0);
    assertThat(first.get("ids")).hasSize(5);
    assertThat(first.get("logprobs")).hasSize(5);
    double best = first.get("logprobs").get(0).asDouble();
    assertThat(best).isLessThan(0).isGreaterThanOrEqualTo(first.get("logprobs").get(4).asDouble());
  }

  @Test
  void readsJsonLinesAndPrintsOneLineEach() throws IOException {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, "{\"text\": \"one\"}\n\n{\"text\": \"two words\", \"id\": 7}\n");
    CliRun r =
        CliRun.of(
            new TeacherCommand(),
            "--model",
            TinyModels.checkpoint().toString(),
            "--top-k",
            "3",
            "--temperature",
            "2",
            "--input",
            in.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(JSON.readTree(lines[1]).get("topk").get(0).get("ids")).hasSize(3);
  }

  @Test
  void missingModelIsAClearErrorWithoutStackTrace() {
    CliRun r = CliRun.of(new TeacherCommand(), "--model", dir.resolve("none").toString(), "--text", "x");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("does not exist").doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void gpuWithoutCudaIsAClearError() {
    CliRun r =
        CliRun.of(new TeacherCommand(), "--model", TinyModels.checkpoint().toString(), "--device", "gpu", "--text", "x");
    // This suite runs on the CPU natives; on a CUDA host with CUDA natives the command would succeed instead.
    if (r.exitCode() != 0) {
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("--device gpu").doesNotContain("\tat ");
    }
    CliRun bad = CliRun.of(new TeacherCommand(), "--model", "m", "--device", "tpu", "--text", "x");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("device must be");
  }

  @Test
  void badInputFileIsAUsageError() throws IOException {
    Path in = Files.writeString(dir.resolve("bad.jsonl"), "{\"nottext\": 1}\n");
    CliRun r = CliRun.of(new TeacherCommand(), "--model", TinyModels.checkpoint().toString(), "--input", in.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("bad.jsonl:1");
    CliRun both = CliRun.of(new TeacherCommand(), "--model", "m", "--text", "a", "--input", in.toString());
    assertThat(both.exitCode()).isEqualTo(2);
  }
}
