package network.subnet.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import network.subnet.node.config.SubnetDefaults;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleProof;
import network.subnet.validator.epoch.RewardLeaf;
import network.subnet.validator.epoch.RewardProof;
import network.subnet.validator.query.QueryGrpcService;
import network.subnet.validator.query.RewardsService;
import network.subnet.validator.testing.Network;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code subnet rewards --verify} and {@code --explain} against a validator's query service on loopback. */
class RewardsVerifyCommandTest {

  private final Network net = new Network(3);
  private final List<Server> servers = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  @TempDir Path dir;
  private Path known;
  private String honest;

  @BeforeEach
  void start() throws IOException {
    net.validator.closeEpoch();
    known = dir.resolve("known-validators");
    honest = serve(net.validator);
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private String serve(RewardsService service) throws IOException {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new QueryGrpcService(service))
        .build()
        .start();
    servers.add(server);
    return "127.0.0.1:" + server.getPort();
  }

  /** A validator whose proofs pass through {@code edit} on their way out. */
  private String tampering(UnaryOperator<RewardProof> edit) throws IOException {
    return serve(new RewardsService() {
      @Override
      public EpochRecord rewards(long epoch) {
        return net.validator.rewards(epoch);
      }

      @Override
      public List<MinerStanding> leaderboard(int limit) {
        return net.validator.leaderboard(limit);
      }

      @Override
      public MinerStatus minerStatus(PublicKey miner) {
        return net.validator.minerStatus(miner);
      }

      @Override
      public NetworkStatus networkStatus() {
        return net.validator.networkStatus();
      }

      @Override
      public RewardProof rewardProof(long epoch, PublicKey miner) {
        return edit.apply(net.validator.rewardProof(epoch, miner));
      }
    });
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--known-validators", known.toString(), "--insecure"));
    return new CommandLine(new RewardsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err, true))
        .execute(all.toArray(String[]::new));
  }

  private String minerA() {
    return net.a.publicKey().hex();
  }

  private String validatorKey() {
    return net.validatorKey.publicKey().hex();
  }

  @Test
  void anHonestEntryVerifiesWithAPinnedKeyAndWithAKeyFile() throws IOException {
    assertThat(run("--validator", honest, "--verify", "--key", minerA(), "--validator-key", validatorKey()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("verified").contains("pinned by --validator-key").contains("share 50.0000%");
    assertThat(known).doesNotExist();

    Path keyFile = dir.resolve("miner.key");
    LocalSigner miner = KeyFile.create(keyFile);
    assertThat(run("--validator", honest, "--verify", "--key-file", keyFile.toString(), "--json")).isEqualTo(1);
    assertThat(err.toString()).contains("earned nothing in epoch 0").contains(miner.publicKey().hex());
  }

  @Test
  void withoutAPinnedKeyTheFirstAnswerIsTrustedAndRecordedAndAChangedKeyIsRefused() throws IOException {
    assertThat(run("--validator", honest, "--verify", "--key", minerA(), "--epoch", "0", "--json")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.get("validatorTrust").asText()).contains("trusting it on first use");
    assertThat(Files.readString(known)).contains(honest + " " + validatorKey());

    assertThat(run("--validator", honest, "--verify", "--key", minerA())).isZero();
    assertThat(out.toString()).contains("matches the key recorded");

    LocalSigner impostor = LocalSigner.generate();
    String resigned = tampering(p -> new RewardProof(p.startMs(), p.endMs(), p.leaf(), p.share(), p.path(),
        p.merkleRoot(), impostor.sign(EpochRecord.digest(p.epoch(), p.startMs(), p.endMs(), p.merkleRoot())),
        impostor.publicKey()));
    // The same address now answers with another key: simulate it by recording the honest key for the new address.
    Files.writeString(known, resigned + " " + validatorKey() + "\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(run("--validator", resigned, "--verify", "--key", minerA())).isEqualTo(3);
    assertThat(out.toString()).contains("NOT VERIFIED");
    assertThat(err.toString()).contains("not by the expected validator").contains("pin the new one");
  }

  @Test
  void aWrongValidatorKeyFails() {
    String other = LocalSigner.generate().publicKey().hex();
    assertThat(run("--validator", honest, "--verify", "--key", minerA(), "--validator-key", other)).isEqualTo(3);
    assertThat(err.toString()).contains("not by the expected validator " + other);
  }

  @Test
  void tamperedProofRootAndShareFail() throws IOException {
    String node = tampering(p -> {
      List<MerkleProof.Step> steps = new ArrayList<>(p.path().steps());
      byte[] sibling = steps.get(0).sibling().clone();
      sibling[0] ^= (byte) 0x80;
      steps.set(0, new MerkleProof.Step(sibling, steps.get(0).siblingOnLeft()));
      return new RewardProof(p.startMs(), p.endMs(), p.leaf(), p.share(), new MerkleProof(steps), p.merkleRoot(),
          p.signature(), p.validator());
    });
    assertThat(run("--validator", node, "--verify", "--key", minerA(), "--validator-key", validatorKey()))
        .isEqualTo(3);
    assertThat(err.toString()).contains("does not lead from the entry to the signed root");

    String root = tampering(p -> {
      RewardLeaf inflated = new RewardLeaf(RewardLeaf.CURRENT, p.epoch(), p.leaf().miner(), 30, 48);
      byte[] forgedRoot = network.subnet.validator.epoch.MerkleTree.rootOf(inflated, p.path());
      return new RewardProof(p.startMs(), p.endMs(), inflated, inflated.share(), p.path(), forgedRoot, p.signature(),
          p.validator());
    });
    assertThat(run("--validator", root, "--verify", "--key", minerA(), "--validator-key", validatorKey()))
        .isEqualTo(3);
    assertThat(err.toString()).contains("signature does not cover");

    String share = tampering(p -> new RewardProof(p.startMs(), p.endMs(), p.leaf(), 0.9, p.path(), p.merkleRoot(),
        p.signature(), p.validator()));
    assertThat(run("--validator", share, "--verify", "--key", minerA(), "--validator-key", validatorKey()))
        .isEqualTo(3);
    assertThat(err.toString()).contains("claimed share 0.9");
    assertThat(known).as("nothing that failed is trusted").doesNotExist();
  }

  @Test
  void usageMistakesAreExplained() {
    assertThat(run("--validator", honest, "--verify")).isEqualTo(2);
    assertThat(err.toString()).contains("--verify needs the miner");
    assertThat(run("--validator", honest, "--key", minerA())).isEqualTo(2);
    assertThat(err.toString()).contains("go with --verify");
    assertThat(run("--validator", honest, "--verify", "--key", "zz")).isEqualTo(1);
    assertThat(err.toString()).contains("--key 'zz' is neither a hex public key nor a key file");
  }

  @Test
  void keysNamedByTheEnvironmentForOtherCommandsDoNotGetInTheWay() throws IOException {
    Path keyFile = dir.resolve("a.key");
    Files.writeString(keyFile, "not read unless asked for");
    CommandLine cl = new CommandLine(new RewardsCommand()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err, true));
    Map<String, String> env = Map.of("SUBNET_KEY", keyFile.toString(), "SUBNET_KNOWN_VALIDATORS", known.toString());
    assertThat(SubnetDefaults.execute(cl, new String[] {"--validator", honest, "--insecure"}, env)).as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("signature valid");

    // --key takes a key file as well as a hex key.
    Path aFile = dir.resolve("b.key");
    KeyFile.create(aFile);
    assertThat(run("--validator", honest, "--verify", "--key", aFile.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("earned nothing");
    assertThat(run("--validator", honest, "--verify", "--key", dir.resolve("missing").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("neither a hex public key nor a key file");
  }

  @Test
  void explainPrintsCountsAndCreditsByKind() throws IOException {
    assertThat(run("--validator", honest, "--explain", minerA())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("epoch 0 (closed)").contains("credits 18 of 36")
        .contains("tasks verified 3  failed 0").contains("gold tasks passed 0").contains("distill");

    assertThat(run("--validator", honest, "--explain", minerA(), "--epoch", "1", "--json")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("closed").asBoolean()).isFalse();
    assertThat(json.get("credits").asLong()).isZero();
    assertThat(json.get("heldBack").asLong()).isZero();
  }
}
