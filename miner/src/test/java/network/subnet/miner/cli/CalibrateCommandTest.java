package network.subnet.miner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import network.subnet.node.testing.TinyModels;
import org.junit.jupiter.api.Test;

class CalibrateCommandTest {

  @Test
  void twoConfigsOfTheTinyModelLandWithinTheirTolerances() throws IOException {
    CliRun r = CliRun.of(new CalibrateCommand(), "--model", TinyModels.checkpoint().toString(), "--batch-sizes", "1,4",
        "--threads", "1", "--sequences", "6", "--tokens", "16", "--top-k", "8", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("dtype").asText()).isEqualTo("float32");
    assertThat(json.get("reference").asText()).isEqualTo("batch=1,threads=1");
    assertThat(json.get("configs")).hasSize(2);
    JsonNode rerun = json.get("configs").get(0);
    assertThat(rerun.get("config").asText()).isEqualTo("batch=1,threads=1");
    assertThat(rerun.get("pairs").asInt()).isEqualTo(6);
    // The same configuration twice is the same computation: fp32 on one thread is deterministic.
    assertThat(rerun.get("top1Agreement").get("min").asDouble()).isEqualTo(1.0);
    assertThat(rerun.get("maxAbsLogProbDiff").get("max").asDouble()).isZero();

    JsonNode batched = json.get("configs").get(1);
    assertThat(batched.get("config").asText()).isEqualTo("batch=4,threads=1");
    assertThat(batched.get("topKOverlap").get("min").asDouble()).isGreaterThan(0.9);
    assertThat(batched.get("meanAbsLogProbDiff").get("max").asDouble()).isLessThan(1e-2);

    JsonNode overall = json.get("overall");
    assertThat(overall.get("pairs").asInt()).isEqualTo(12);
    JsonNode suggested = json.get("suggestedTolerances");
    assertThat(suggested.get("minTop1Agreement").asDouble()).isBetween(0.0, 0.98);
    assertThat(suggested.get("maxMeanLogProbDiff").asDouble())
        .isGreaterThanOrEqualTo(overall.get("meanAbsLogProbDiff").get("max").asDouble());
  }

  @Test
  void tablesNameTheConfigsAndBadOptionsAreRefused() {
    CliRun r = CliRun.of(new CalibrateCommand(), "--model", TinyModels.checkpoint().toString(), "--batch-sizes", "2",
        "--threads", "1", "--sequences", "2", "--tokens", "8", "--top-k", "4");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("reference batch=1,threads=1").contains("batch=2,threads=1").contains("all")
        .contains("tolerances that accept every honest pair");

    CliRun bf16 = CliRun.of(new CalibrateCommand(), "--dtype", "bf16");
    assertThat(bf16.exitCode()).isEqualTo(2);
    assertThat(bf16.err()).contains("float32 only");
    CliRun zero = CliRun.of(new CalibrateCommand(), "--batch-sizes", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--batch-sizes must be positive");
  }
}
