package network.subnet.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class SubnetDefaultsTest {

  @TempDir Path tmp;

  @Command(name = "node", subcommands = Run.class)
  static final class Root implements Runnable {
    @Mixin ConfigFileOption config;

    @Override
    public void run() {}
  }

  @Command(name = "run")
  static final class Run implements Runnable {
    static final int DEFAULT_PORT = 7000;

    @Option(names = "--validator-address")
    String validatorAddress = "localhost:7000";

    @Option(names = "--port")
    int port = DEFAULT_PORT;

    @Option(names = "--replicas", defaultValue = "2")
    int replicas;

    @Option(names = "--gold")
    boolean gold;

    @Override
    public void run() {}
  }

  private Run parse(Map<String, String> env, String... args) {
    Root root = new Root();
    CommandLine cl = new CommandLine(root);
    SubnetDefaults.install(cl, args, env);
    CommandLine.ParseResult result = cl.parseArgs(args);
    return (Run) result.subcommand().commandSpec().userObject();
  }

  private Path config(String text) throws Exception {
    return Files.writeString(tmp.resolve("subnet.conf"), text);
  }

  @Test
  void withNothingSetTheDefaultsApply() {
    Run run = parse(Map.of(), "run");
    assertThat(run.validatorAddress).isEqualTo("localhost:7000");
    assertThat(run.port).isEqualTo(Run.DEFAULT_PORT);
    assertThat(run.replicas).isEqualTo(2);
    assertThat(run.gold).isFalse();
  }

  @Test
  void configFileBeatsDefaults() throws Exception {
    Path file = config("validator-address = v.example:9000\nport: 7100\nreplicas = 3\ngold = true\n");
    Run run = parse(Map.of(), "--config", file.toString(), "run");
    assertThat(run.validatorAddress).isEqualTo("v.example:9000");
    assertThat(run.port).isEqualTo(7100);
    assertThat(run.replicas).isEqualTo(3);
    assertThat(run.gold).isTrue();
  }

  @Test
  void environmentBeatsConfigFile() throws Exception {
    Path file = config("validator-address = from-file:1\nport = 7100\n");
    Run run = parse(Map.of("SUBNET_VALIDATOR_ADDRESS", "from-env:2"), "--config=" + file, "run");
    assertThat(run.validatorAddress).isEqualTo("from-env:2");
    assertThat(run.port).isEqualTo(7100);
  }

  @Test
  void flagBeatsEnvironmentAndConfigFile() throws Exception {
    Path file = config("validator-address = from-file:1\nreplicas = 3\n");
    Map<String, String> env = Map.of("SUBNET_VALIDATOR_ADDRESS", "from-env:2", "SUBNET_REPLICAS", "4");
    Run run = parse(env, "--config", file.toString(), "run", "--validator-address", "from-flag:3", "--replicas", "5");
    assertThat(run.validatorAddress).isEqualTo("from-flag:3");
    assertThat(run.replicas).isEqualTo(5);
  }

  @Test
  void configFileCanBeNamedByEnvironment() throws Exception {
    Path file = config("port = 7200\n");
    Run run = parse(Map.of("SUBNET_CONFIG", file.toString()), "run");
    assertThat(run.port).isEqualTo(7200);
  }

  @Test
  void flagNamedConfigFileBeatsEnvironmentNamedOne() throws Exception {
    Path fromEnv = Files.writeString(tmp.resolve("env.conf"), "port = 1\n");
    Path fromFlag = Files.writeString(tmp.resolve("flag.conf"), "port = 2\n");
    Run run = parse(Map.of("SUBNET_CONFIG", fromEnv.toString()), "--config", fromFlag.toString(), "run");
    assertThat(run.port).isEqualTo(2);
  }

  @Test
  void unknownConfigKeysAreNamedInWarnings() throws Exception {
    Path file = config("port = 7100\nvalidator-adress = typo:1\n");
    CommandLine cl = new CommandLine(new Root());
    List<String> warnings = SubnetDefaults.install(cl, new String[] {"--config", file.toString()}, Map.of());
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("unknown key 'validator-adress'").contains(file.toString());
  }

  @Test
  void quotedValuesCommentsAndUnderscoresAreAccepted() throws Exception {
    Path file = config("# node config\n---\n\nvalidator_address: \"quoted:1\"\n  port = '7300'\n");
    Run run = parse(Map.of(), "--config", file.toString(), "run");
    assertThat(run.validatorAddress).isEqualTo("quoted:1");
    assertThat(run.port).isEqualTo(7300);
  }

  @Test
  void malformedConfigFileIsRefusedWithLineNumber() throws Exception {
    Path file = config("port = 1\nthis line has no separator\n");
    assertThatThrownBy(() -> parse(Map.of(), "--config", file.toString(), "run"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 2");

    Path twice = Files.writeString(tmp.resolve("twice.conf"), "port = 1\nport = 2\n");
    assertThatThrownBy(() -> parse(Map.of(), "--config", twice.toString(), "run"))
        .hasMessageContaining("'port' is set twice");
  }

  @Test
  void missingConfigFileIsReportedOnStderrWithExitCodeOne() {
    CommandLine cl = new CommandLine(new Root());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    Path missing = tmp.resolve("nope.conf");
    int code = SubnetDefaults.execute(cl, new String[] {"--config", missing.toString(), "run"}, new HashMap<>());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: ").contains(missing.toString()).contains("does not exist");
  }

  @Test
  void environmentNamesFollowOptionNames() {
    assertThat(SubnetDefaults.envName("validator-address")).isEqualTo("SUBNET_VALIDATOR_ADDRESS");
    assertThat(SubnetDefaults.envName("port")).isEqualTo("SUBNET_PORT");
  }
}
