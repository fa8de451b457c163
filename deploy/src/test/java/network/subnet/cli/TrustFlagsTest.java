package network.subnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import network.subnet.node.config.SubnetDefaults;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A miner never talks to a validator it was given no way to trust, and says which flag is missing. */
class TrustFlagsTest {

  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cli = SubnetCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter()));
    return SubnetDefaults.execute(cli, args, env);
  }

  @Test
  void minerWithoutFingerprintOrInsecureIsAUsageError() {
    assertThat(run(Map.of(), "miner", "--validator", "127.0.0.1:1", "--model", "/nonexistent"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("no way to trust the validator").contains("--validator-fingerprint");
  }

  @Test
  void contradictoryOrMalformedTrustIsAUsageError() {
    String fp = "ab".repeat(32);
    assertThat(run(Map.of(), "miner", "--insecure", "--validator-fingerprint", fp, "--model", "/nonexistent"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("contradict");

    assertThat(run(Map.of("SUBNET_VALIDATOR_FINGERPRINT", "abcd"), "miner", "--model", "/nonexistent"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("64 hex characters, got 4");
  }
}
