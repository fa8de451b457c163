package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.testing.TinyModels;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.tasks.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts the validator in the middle of a run, on the same RocksDB ledger and port, while real miners keep
 * working: the miners reconnect on their own, every task ends verified, and no result is lost or credited twice.
 */
class ValidatorRestartTest {

  private static final int TASKS = 12;
  private static final int REPLICAS = 2;

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
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
  void restartMidRunLosesNothingAndCountsNothingTwice() throws Exception {
    Path model = TinyModels.checkpoint();
    MistralCheckpoint checkpoint = MistralCheckpoint.open(model);
    String modelHash = checkpoint.modelHash();
    List<Task> tasks = fixture.distillTasks(checkpoint, modelHash, 3, TASKS);
    ValidatorConfig config =
        ValidatorConfig.defaults().withReplicas(REPLICAS).withTeacher(modelHash, 16, 64).withLeaseDuration(Duration.ofSeconds(5));
    LocalSigner validatorKey = LocalSigner.generate();
    Path ledgerDir = dir.resolve("ledger");

    RocksDbStorage storage = RocksDbStorage.open(ledgerDir);
    ValidatorNode node = new ValidatorNode(config, storage, validatorKey, clock::millis);
    assertThat(node.addTasks(tasks)).isEqualTo(TASKS);
    ValidatorServer server = new ValidatorServer(node, "127.0.0.1", 0, clock);
    server.start();
    int port = server.port();

    for (int i = 0; i < 3; i++) {
      fixture.startMiner("127.0.0.1:" + port, model);
    }
    awaitVerified(node.ledger(), 3, Duration.ofSeconds(60));

    // Take the validator down hard in the middle of the run, then bring it back on the same ledger and port.
    server.stop();
    storage.close();
    long verifiedBefore;
    try (RocksDbStorage reopened = RocksDbStorage.open(ledgerDir)) {
      verifiedBefore = new Ledger(reopened, clock.millis()).tasksVerified();
    }
    assertThat(verifiedBefore).isGreaterThanOrEqualTo(3);

    RocksDbStorage storage2 = RocksDbStorage.open(ledgerDir);
    fixture.closeLater(storage2);
    ValidatorNode node2 = new ValidatorNode(config, storage2, validatorKey, clock::millis);
    assertThat(node2.ledger().tasksVerified()).isEqualTo(verifiedBefore);
    assertThat(node2.addTasks(tasks)).as("tasks already in the ledger are not added again").isZero();
    ValidatorServer server2 = new ValidatorServer(node2, "127.0.0.1", port, clock);
    server2.start();
    fixture.closeLater(server2::stop);

    awaitVerified(node2.ledger(), TASKS, Duration.ofSeconds(90));
    fixture.stopMiners();

    Ledger ledger = node2.ledger();
    assertThat(ledger.tasksPending()).isZero();
    long expectedCredits = 0;
    for (Task task : tasks) {
      List<ResultRecord> results = ledger.results(task.id());
      Set<PublicKey> miners = new HashSet<>();
      results.forEach(r -> miners.add(r.miner()));
      assertThat(miners).as("distinct miners of task %s", task.id()).hasSize(results.size());
      assertThat(results.size()).isGreaterThanOrEqualTo(REPLICAS);
      expectedCredits += (long) task.tokenCount() * REPLICAS;
    }
    long credited = ledger.openEpochCredits().values().stream().mapToLong(Long::longValue).sum();
    assertThat(credited).as("every verified task credited exactly once per agreeing replica").isEqualTo(expectedCredits);
  }

  private static void awaitVerified(Ledger ledger, long n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ledger.tasksVerified() < n) {
      assertThat(System.nanoTime()).as("%d tasks verified within %s", n, timeout).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
