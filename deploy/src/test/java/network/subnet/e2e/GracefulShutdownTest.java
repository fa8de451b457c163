package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import network.subnet.cli.SubnetCommand;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.testing.TinyModels;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.tasks.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ({@code Process.destroy()}) to a real {@code subnet validator} and a real {@code subnet miner} process in the
 * middle of their work: the validator answers what is in flight and closes its ledger cleanly (flushed, marked clean,
 * seen as such by the next start); the miner finishes and submits the work in hand, leaving no lease open.
 */
class GracefulShutdownTest {

  private static final int TASKS = 40;

  @TempDir Path dir;

  private E2eFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new E2eFixture(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void sigtermClosesTheValidatorsLedgerCleanlyAndLosesNothingAcknowledged() throws Exception {
    Path model = TinyModels.checkpoint();
    String modelHash = MistralCheckpoint.open(model).modelHash();
    List<Task> tasks = fixture.distillTasks(MistralCheckpoint.open(model), modelHash, 3, TASKS);
    Path ledgerDir = dir.resolve("ledger");
    try (RocksDbStorage storage = RocksDbStorage.open(ledgerDir)) {
      new Ledger(storage, System.currentTimeMillis()).addTasks(tasks, 2);
    }
    int port = freePort();
    ValidatorProcess validator = ValidatorProcess.start(null, SubnetCommand.class.getName(), List.of("validator",
        "--model", model.toString(), "--model-hash", modelHash, "--data-dir", ledgerDir.toString(), "--host",
        "127.0.0.1", "--port", String.valueOf(port), "--key", dir.resolve("validator.key").toString(),
        "--lease-seconds", "30", "--insecure"));
    fixture.closeLater(validator);
    validator.awaitServing(Duration.ofSeconds(60));
    List<AckRecorder> recorders = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      LocalSigner signer = LocalSigner.generate();
      fixture.startMiner("127.0.0.1:" + port, model, signer, api -> {
        AckRecorder r = new AckRecorder(api, signer.publicKey());
        synchronized (recorders) {
          recorders.add(r);
        }
        return r;
      }, Duration.ofSeconds(1));
    }
    awaitAcks(recorders, 6, Duration.ofSeconds(60));

    assertThat(validator.terminate(Duration.ofSeconds(30))).as("exit code; output:%n%s", validator.output())
        .isEqualTo(143);
    try (var files = Files.list(ledgerDir)) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".log")).toList())
          .as("write-ahead logs left to replay").allSatisfy(f -> assertThat(Files.size(f)).isZero());
    }
    List<AckRecorder.Acked> acked = new ArrayList<>();
    synchronized (recorders) {
      recorders.forEach(r -> acked.addAll(r.acked()));
    }
    try (RocksDbStorage storage = RocksDbStorage.openReadOnly(ledgerDir)) {
      assertThat(storage.previousShutdown()).isEqualTo(RocksDbStorage.Shutdown.CLEAN);
      Ledger ledger = new Ledger(storage, System.currentTimeMillis());
      assertThat(acked).allSatisfy(a ->
          assertThat(ledger.result(a.taskId(), a.miner())).as("acknowledged result of task %s", a.taskId()).isPresent());
    }

    ValidatorProcess again = ValidatorProcess.startNode(null, ledgerDir, dir.resolve("validator.key"), port, modelHash,
        Duration.ofSeconds(30));
    fixture.closeLater(again);
    again.awaitServing(Duration.ofSeconds(60));
    assertThat(again.previousShutdown()).isEqualTo("clean");
  }

  @Test
  void sigtermMakesTheMinerSubmitTheWorkInHandBeforeItExits() throws Exception {
    Path model = TinyModels.checkpoint();
    MistralCheckpoint checkpoint = MistralCheckpoint.open(model);
    String modelHash = checkpoint.modelHash();
    Clock clock = Clock.systemUTC();
    RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"));
    fixture.closeLater(storage);
    ValidatorNode node = new ValidatorNode(ValidatorConfig.defaults().withReplicas(1).withTeacher(modelHash, 16, 64)
        .withLeaseDuration(Duration.ofSeconds(60)), storage, LocalSigner.generate(), clock::millis);
    node.addTasks(fixture.distillTasks(checkpoint, modelHash, 5, TASKS));
    ValidatorServer server = new ValidatorServer(node, "127.0.0.1", 0, clock);
    server.start();
    fixture.closeLater(server::stop);

    Path keyFile = dir.resolve("miner.key");
    PublicKey miner = KeyFile.loadOrCreate(keyFile).publicKey();
    ValidatorProcess process = ValidatorProcess.start(null, SubnetCommand.class.getName(), List.of("miner",
        "--validator", "127.0.0.1:" + server.port(), "--model", model.toString(), "--key", keyFile.toString(),
        "--threads", "1", "--max-batch", "2", "--lease-wait-ms", "500", "--insecure"));
    fixture.closeLater(process);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    // Terminate while it holds a lease, once it has shown it can deliver.
    while (node.ledger().stats(miner).resultsAccepted() < 2 || node.minerStatus(miner).leasesOpen() == 0) {
      assertThat(process.isAlive()).as("miner alive; output:%n%s", process.output()).isTrue();
      assertThat(System.nanoTime()).as("miner at work within 60 s; output:%n%s", process.output())
          .isLessThan(deadline);
      Thread.sleep(5);
    }
    long before = node.ledger().stats(miner).resultsAccepted();

    assertThat(process.terminate(Duration.ofSeconds(30))).as("exit code; output:%n%s", process.output())
        .isEqualTo(143);
    assertThat(node.minerStatus(miner).leasesOpen()).as("leases left open by the miner").isZero();
    assertThat(node.ledger().leases()).as("stored leases of the miner")
        .noneMatch(l -> l.miner().equals(miner));
    assertThat(node.ledger().stats(miner).resultsAccepted()).isGreaterThan(before);
  }

  private static void awaitAcks(List<AckRecorder> recorders, int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long acks;
      synchronized (recorders) {
        acks = recorders.stream().mapToLong(r -> r.acked().size()).sum();
      }
      if (acks >= n) {
        return;
      }
      assertThat(System.nanoTime()).as("%d results acknowledged within %s", n, timeout).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
