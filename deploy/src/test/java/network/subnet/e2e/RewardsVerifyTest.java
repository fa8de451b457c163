package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import network.subnet.cli.SubnetCommand;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.config.SubnetDefaults;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.results.ResultDigest;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.tensor.DType;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.tasks.CompressTaskSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code subnet rewards --verify} and {@code --explain} through the real entry point against a validator server on
 * loopback with a RocksDB ledger: miners earn compress credits over signed gRPC, the epoch closes, and each miner checks
 * its entry against the signed root.
 */
class RewardsVerifyTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private RocksDbStorage storage;
  private ValidatorServer server;
  private final List<GrpcValidatorApi> apis = new java.util.ArrayList<>();

  @AfterEach
  void tearDown() {
    apis.forEach(GrpcValidatorApi::close);
    if (server != null) {
      server.stop();
    }
    if (storage != null) {
      storage.close();
    }
  }

  private int subnet(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = SubnetCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err, true));
    return SubnetDefaults.execute(
        cl, args, Map.of("SUBNET_KNOWN_VALIDATORS", dir.resolve("known").toString(), "SUBNET_INSECURE", "true"));
  }

  private GrpcValidatorApi miner(LocalSigner key) {
    GrpcValidatorApi api = GrpcValidatorApi.connect(server.target(), key, ClientOptions.defaults());
    apis.add(api);
    api.register(new Capabilities(Set.of(TaskKind.COMPRESS), null,
        CodecRegistry.standard().codecs().stream().map(c -> c.key()).toList(), 1), "test");
    return api;
  }

  private static WorkResult signedBlob(LocalSigner miner, Lease lease, EncodedBlob blob) {
    WorkResult unsigned = new WorkResult(lease.taskId(), lease.leaseNonce(), "", TaskKind.COMPRESS, null,
        new WorkResult.CompressedOutput(blob.codec(), blob.blob()), null, 1, new byte[0]);
    return new WorkResult(unsigned.taskId(), unsigned.leaseNonce(), "", TaskKind.COMPRESS, null, unsigned.compressed(),
        null, 1, miner.sign(ResultDigest.of(unsigned, miner.publicKey())));
  }

  @Test
  void minersVerifyTheirSignedEntriesAndSeeWhyTheyEarnedIt() throws Exception {
    Path acts = Files.createDirectories(dir.resolve("activations"));
    for (int i = 0; i < 3; i++) {
      NpyFile.write(acts.resolve("act-" + i + ".npy"),
          SyntheticActivations.tensor(SyntheticActivations.Kind.GAUSSIAN, 16, 64, DType.BF16, 40 + i));
    }
    LocalSigner validatorKey = LocalSigner.generate();
    storage = RocksDbStorage.open(dir.resolve("ledger"));
    ValidatorNode node = new ValidatorNode(ValidatorConfig.defaults().withReplicas(1).withTeacher("m", 16, 64),
        storage, validatorKey, Clock.systemUTC()::millis);
    node.addTasks(new CompressTaskSource(CodecRegistry.standard(), 0.99).read(List.of(acts)));
    server = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC());
    server.start();

    LocalSigner a = LocalSigner.generate();
    LocalSigner b = LocalSigner.generate();
    LocalSigner cheat = LocalSigner.generate();
    GrpcValidatorApi cheatApi = miner(cheat);
    Lease low = cheatApi.lease(1, Duration.ZERO).get(0);
    EncodedBlob coarse = CodecRegistry.standard().encode(low.compress().activations(), "quant/2", 0.9);
    assertThatThrownBy(() -> cheatApi.submit(signedBlob(cheat, low, coarse))).isInstanceOf(ApiException.class);
    for (LocalSigner m : List.of(a, b, a)) {
      GrpcValidatorApi api = miner(m);
      Lease lease = api.lease(1, Duration.ZERO).get(0);
      EncodedBlob blob = CodecRegistry.standard().encodeBest(lease.compress().activations(),
          lease.compress().similarityFloor(), lease.compress().allowedCodecs());
      api.submit(signedBlob(m, lease, blob));
    }
    node.closeEpoch();
    String validator = server.target();

    assertThat(subnet("rewards", "--validator", validator, "--verify", "--key", a.publicKey().hex(),
        "--validator-key", validatorKey.publicKey().hex())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("verified").contains("epoch 0");

    assertThat(subnet("rewards", "--validator", validator, "--verify", "--key", b.publicKey().hex())).isZero();
    assertThat(out.toString()).contains("trusting it on first use").contains("verified");
    assertThat(subnet("rewards", "--validator", validator, "--verify", "--key", a.publicKey().hex())).isZero();
    assertThat(out.toString()).contains("matches the key recorded");

    String wrong = LocalSigner.generate().publicKey().hex();
    assertThat(subnet("rewards", "--validator", validator, "--verify", "--key", a.publicKey().hex(),
        "--validator-key", wrong)).isEqualTo(3);
    assertThat(err.toString()).contains("not by the expected validator " + wrong);

    assertThat(subnet("rewards", "--validator", validator, "--explain", a.publicKey().hex())).isZero();
    assertThat(out.toString()).contains("epoch 0 (closed)").contains("tasks verified 2  failed 0").contains("compress");
    assertThat(subnet("rewards", "--validator", validator, "--explain", cheat.publicKey().hex(), "--json")).isZero();
    assertThat(out.toString()).contains("\"tasksFailed\" : 1").contains("\"credits\" : 0");
  }
}
