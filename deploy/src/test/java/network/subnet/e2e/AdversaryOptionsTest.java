package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import network.subnet.cli.SubnetCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad adversary options are refused with a message naming the problem, before any model is loaded. */
class AdversaryOptionsTest {

  @TempDir Path dir;

  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = SubnetCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    assertThat(exit).isNotZero();
    return err.toString();
  }

  @Test
  void unknownBehaviorIsRefused() {
    assertThat(run("miner", "--model", dir.resolve("absent").toString(), "--behavior", "sneaky"))
        .contains("unknown miner behavior 'sneaky'");
    assertThat(run("devnet", "--dir", dir.toString(), "--adversaries", "1", "--behavior", "sneaky"))
        .contains("unknown miner behavior 'sneaky'");
  }

  @Test
  void moreAdversariesThanMinersAreRefused() {
    assertThat(run("devnet", "--dir", dir.toString(), "--miners", "3", "--adversaries", "4"))
        .contains("--adversaries 4 is more than --miners 3");
  }

  @Test
  void honestOnlyMixIsRefused() {
    assertThat(run("devnet", "--dir", dir.toString(), "--adversaries", "1", "--behavior", "honest"))
        .contains("needs --behavior naming at least one of");
  }
}
