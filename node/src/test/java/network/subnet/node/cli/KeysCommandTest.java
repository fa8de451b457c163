package network.subnet.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import network.subnet.node.identity.KeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = new CommandLine(new KeysCommand(env, tmp.resolve("user").toString()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void newPrintsThePublicKeyOfTheCreatedFile() {
    Path key = tmp.resolve("k/key");
    assertThat(run("new", "--key", key.toString())).isZero();
    String printed = out.toString().strip();
    assertThat(printed).matches("[0-9a-f]{64}").isEqualTo(KeyFile.load(key).publicKey().hex());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void defaultPathIsUnderSubnetHome() {
    Path home = tmp.resolve("nodehome");
    assertThat(run(Map.of("SUBNET_HOME", home.toString()), "new")).isZero();
    assertThat(KeyFile.load(home.resolve("key")).publicKey().hex()).isEqualTo(out.toString().strip());
  }

  @Test
  void withoutSubnetHomeTheKeyGoesToDotSubnetInTheUserHome() {
    assertThat(run("new")).isZero();
    assertThat(Files.exists(tmp.resolve("user/.subnet/key"))).isTrue();
  }

  @Test
  void newRefusesAnExistingKeyWithoutForce() {
    Path key = tmp.resolve("key");
    String original = KeyFile.create(key).publicKey().hex();
    assertThat(run("new", "--key", key.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: ").contains("already exists").doesNotContain("at network.subnet");
    assertThat(KeyFile.load(key).publicKey().hex()).isEqualTo(original);

    assertThat(run("new", "--key", key.toString(), "--force")).isZero();
    assertThat(KeyFile.load(key).publicKey().hex()).isNotEqualTo(original).isEqualTo(out.toString().strip());
  }

  @Test
  void showPrintsOnlyThePublicKey() throws Exception {
    Path key = tmp.resolve("key");
    String hex = KeyFile.create(key).publicKey().hex();
    String secret = Files.readString(key).lines().filter(l -> l.startsWith("secret:")).findFirst().orElseThrow();
    String secretHex = secret.substring("secret:".length()).strip();

    assertThat(run("show", "--key", key.toString())).isZero();
    assertThat(out.toString().strip()).isEqualTo(hex);
    assertThat(out.toString()).doesNotContain(secretHex);
  }

  @Test
  void showJsonNamesKeyAndFile() throws Exception {
    Path key = tmp.resolve("key");
    String hex = KeyFile.create(key).publicKey().hex();
    assertThat(run("show", "--key", key.toString(), "--json")).isZero();
    var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertThat(node.get("publicKey").asText()).isEqualTo(hex);
    assertThat(node.get("keyFile").asText()).isEqualTo(key.toAbsolutePath().toString());
    assertThat(node.size()).isEqualTo(2);
  }

  @Test
  void showOfMissingOrCorruptFileFailsWithMessageAndNoStackTrace() throws Exception {
    Path missing = tmp.resolve("missing");
    assertThat(run("show", "--key", missing.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("no key file at").doesNotContain("Exception");

    Path corrupt = Files.writeString(tmp.resolve("corrupt"), "nonsense\n");
    Files.setPosixFilePermissions(corrupt, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(run("show", "--key", corrupt.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("corrupt").doesNotContain("Exception");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void withoutSubcommandItIsAUsageError() {
    assertThat(run()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("missing subcommand");
  }

  @Test
  void generateEncryptedThenShowNeedsThePassphrase() throws Exception {
    Path key = tmp.resolve("enc/key");
    assertThat(run(Map.of("SUBNET_KEY_PASSPHRASE", "s3cret"), "generate", "--encrypt", "--key", key.toString()))
        .isZero();
    String publicHex = out.toString().strip();
    assertThat(KeyFile.isEncrypted(key)).isTrue();
    assertThat(Files.readString(key)).contains("public: " + publicHex);

    out.getBuffer().setLength(0);
    Path passFile = Files.writeString(tmp.resolve("pass"), "s3cret\n");
    assertThat(run("show", "--key", key.toString(), "--passphrase-file", passFile.toString())).isZero();
    assertThat(out.toString().strip()).isEqualTo(publicHex);

    assertThat(run(Map.of("SUBNET_KEY_PASSPHRASE", "nope"), "show", "--key", key.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("wrong passphrase for key file").doesNotContain("Exception");
  }

  @Test
  void encryptAndDecryptInPlace() {
    Path key = tmp.resolve("key");
    String publicHex = KeyFile.create(key).publicKey().hex();
    Map<String, String> env = Map.of("SUBNET_KEY_PASSPHRASE", "pw");
    assertThat(run(env, "encrypt", "--key", key.toString())).isZero();
    assertThat(KeyFile.isEncrypted(key)).isTrue();
    assertThat(run(env, "decrypt", "--key", key.toString())).isZero();
    assertThat(KeyFile.isEncrypted(key)).isFalse();
    assertThat(out.toString().lines()).containsExactly(publicHex, publicHex);
    assertThat(run(env, "decrypt", "--key", key.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("is not encrypted");
  }
}
