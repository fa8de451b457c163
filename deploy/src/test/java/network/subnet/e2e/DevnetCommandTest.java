package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import network.subnet.cli.SubnetCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The devnet command end to end: real validator, real miners, real gRPC on loopback, RocksDB ledger. */
class DevnetCommandTest {

  @TempDir Path dir;

  @Test
  void verifiesEveryTaskAndPrintsSharesThatSumToOne() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = SubnetCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute("devnet", "--miners", "3", "--tasks", "8", "--max-tokens", "64", "--dir", dir.toString(), "--json");

    assertThat(exit).as(out.toString()).isZero();
    String[] lines = out.toString().strip().split("\n");
    JsonNode result = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(result.get("tasks_verified").asInt()).isEqualTo(8);
    assertThat(result.get("compress_tasks_verified").asInt())
        .as("the default compress tasks: 4 synthetic matrices and 2 of the teacher's hidden states").isEqualTo(6);
    assertThat(dir.resolve("activations").resolve("act-003.npy")).exists();
    double sum = 0;
    int miners = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = result.get("shares").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> share = it.next();
      assertThat(share.getKey()).hasSize(64);
      assertThat(share.getValue().asDouble()).isBetween(0.0, 1.0);
      sum += share.getValue().asDouble();
      miners++;
    }
    assertThat(miners).isBetween(2, 3);
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void refusesFewerMinersThanReplicas() {
    StringWriter err = new StringWriter();
    CommandLine cli = SubnetCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("devnet", "--miners", "1", "--dir", dir.toString());
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("too few");
  }
}
