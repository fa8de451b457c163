package network.subnet.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.node.transport.ServerSecurity;
import network.subnet.node.transport.tls.TlsIdentity;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.security.BanList;
import network.subnet.validator.security.ServerPolicy;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code subnet admin} against a real validator server over TLS, pinned from the local TLS directory. */
class AdminCommandTest {

  @TempDir Path home;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path keyFile;
  private Path tlsDir;
  private ValidatorServer server;

  @BeforeEach
  void start() throws Exception {
    keyFile = home.resolve("key");
    tlsDir = home.resolve("tls");
    LocalSigner validatorKey = KeyFile.create(keyFile);
    TlsIdentity identity = TlsIdentity.loadOrCreate(tlsDir, "validator");
    InMemoryStorage storage = new InMemoryStorage();
    ValidatorNode node =
        new ValidatorNode(
            ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16),
            storage,
            validatorKey,
            System::currentTimeMillis);
    server =
        new ValidatorServer(
            node, "127.0.0.1", 0, Clock.systemUTC(), ServerPolicy.of(ServerSecurity.tls(identity)), new BanList(storage));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private int admin(String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(
        new String[] {"--validator", server.target(), "--key", keyFile.toString(), "--tls-dir", tlsDir.toString()},
        0, all, args.length, 6);
    return new CommandLine(new AdminCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(all);
  }

  @Test
  void banUnbanCloseEpochAndConfigWithTheValidatorsKey() {
    String miner = LocalSigner.generate().publicKey().hex();
    assertThat(admin("ban", miner)).isZero();
    assertThat(out.toString()).contains("banned " + miner + " (1 banned)");
    assertThat(server.bans().list()).hasSize(1);
    assertThat(admin("unban", miner)).isZero();
    assertThat(server.bans().list()).isEmpty();

    assertThat(admin("close-epoch")).isZero();
    assertThat(out.toString()).contains("epoch 0 closed").contains("signature valid");

    assertThat(admin("config", "rate-limit-per-key", "5/10")).isZero();
    assertThat(out.toString()).containsPattern("rate-limit-per-key\\s+5/s, burst 10\\s+\\(settable\\)");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void anotherKeyIsDeniedAndABadKeyArgumentIsAUsageError() {
    keyFile = home.resolve("other-key");
    KeyFile.create(keyFile);
    assertThat(admin("close-epoch")).isEqualTo(1);
    assertThat(err.toString()).contains("error: admin calls must be signed by the validator's own key");

    assertThat(admin("ban", "not-a-key")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("KEY 'not-a-key' is not a hex Ed25519 public key");
  }
}
