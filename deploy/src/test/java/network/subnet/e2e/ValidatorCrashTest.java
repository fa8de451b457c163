package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import network.subnet.cli.devnet.Devnet;
import network.subnet.cli.devnet.SampleCorpus;
import network.subnet.miner.daemon.MinerDaemon;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.testing.TinyModels;
import network.subnet.validator.ledger.LeaseRecord;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.query.QueryClient;
import network.subnet.validator.tasks.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the validator process (SIGKILL) at random points of a run, twenty times, restarting it on the same RocksDB
 * ledger and port while real miners keep working through the outages. After every kill the ledger, opened read-only
 * as the dead process left it, must hold every result a miner was told was accepted, every lease a miner holds
 * (until its deadline), and credits exactly matching the verified tasks. At the end, after a graceful stop, every
 * task is verified, the ledger's results are exactly the acknowledged ones, and nothing was credited twice.
 */
class ValidatorCrashTest {

  private static final int TASKS = 100;
  private static final int REPLICAS = 2;
  private static final int KILLS = 20;
  /**
   * Short enough that a lease stored just before a kill, whose answer never reached its miner, does not hold its task
   * back for long. A result outlives a restart however slow: its miner retries it until the validator answers (up to
   * a minute past the deadline), and a validator that stored it answers DUPLICATE.
   */
  private static final Duration LEASE = Duration.ofSeconds(20);

  @TempDir Path dir;

  private E2eFixture fixture;
  private final List<AckRecorder> recorders = new ArrayList<>();
  private final List<MinerDaemon> miners = new ArrayList<>();

  @BeforeEach
  void setUp() {
    fixture = new E2eFixture(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void killedTwentyTimesTheLedgerLosesNoAcknowledgedResultAndCountsNothingTwice() throws Exception {
    long started = System.nanoTime();
    Path model = TinyModels.checkpoint();
    MistralCheckpoint checkpoint = MistralCheckpoint.open(model);
    String modelHash = checkpoint.modelHash();
    Path corpus = SampleCorpus.writeIfAbsent(dir.resolve("corpus.jsonl"), 400, 11);
    List<Task> tasks = Devnet.distillTasks(checkpoint, modelHash, corpus, 64, 16, 1.0f, TASKS);
    assertThat(tasks).hasSize(TASKS);
    Path ledgerDir = dir.resolve("ledger");
    try (RocksDbStorage storage = RocksDbStorage.open(ledgerDir)) {
      new Ledger(storage, System.currentTimeMillis()).addTasks(tasks, REPLICAS);
    }
    int port = freePort();
    Path key = dir.resolve("validator.key");
    Path cds = ValidatorProcess.writeArchive(dir.resolve("validator.jsa"));
    String target = "127.0.0.1:" + port;

    ValidatorProcess validator = ValidatorProcess.startNode(cds, ledgerDir, key, port, modelHash, LEASE);
    fixture.closeLater(validator);
    validator.awaitServing(Duration.ofSeconds(60));
    for (int i = 0; i < 3; i++) {
      LocalSigner signer = LocalSigner.generate();
      miners.add(fixture.startMiner(target, model, signer, api -> {
        AckRecorder recorder = new AckRecorder(api, signer.publicKey());
        synchronized (recorders) {
          recorders.add(recorder);
        }
        return recorder;
      }, Duration.ofSeconds(1)));
    }

    Random random = new Random(42);
    List<String> seen = new ArrayList<>();
    for (int kill = 1; kill <= KILLS; kill++) {
      // Kill at a random point once the miners are talking to it again, so crashes land among leases and submits.
      awaitProgress(Duration.ofSeconds(15));
      Thread.sleep(random.nextInt(400));
      validator.kill();
      Audit audit = audit(ledgerDir, tasks, false);
      assertThat(audit.shutdown).as("after kill %d", kill).isEqualTo(RocksDbStorage.Shutdown.UNCLEAN);
      assertThat(audit.problems).as("ledger after kill %d", kill).isEmpty();
      seen.add(audit.verified + "/" + audit.acked);

      long restart = System.nanoTime();
      validator = ValidatorProcess.startNode(cds, ledgerDir, key, port, modelHash, LEASE);
      fixture.closeLater(validator);
      validator.awaitServing(Duration.ofSeconds(60));
      assertThat(validator.previousShutdown()).isEqualTo("unclean");
      System.out.printf("crash test: kill %d at %.1f s: %s; restarted in %d ms%n", kill,
          (System.nanoTime() - started) / 1e9, seen.get(seen.size() - 1), (System.nanoTime() - restart) / 1_000_000);
    }

    awaitAllVerified(target, Duration.ofSeconds(60));
    fixture.stopMiners();
    ValidatorProcess last = validator;
    assertThat(last.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM; output:%n%s", last.output())
        .isEqualTo(143);

    Audit end = audit(ledgerDir, tasks, true);
    assertThat(end.shutdown).as("a SIGTERM closes the ledger cleanly").isEqualTo(RocksDbStorage.Shutdown.CLEAN);
    assertThat(end.problems).as("final ledger (verified/acked after each kill: %s)", seen).isEmpty();
    assertThat(end.verified).isEqualTo(TASKS);
    for (MinerDaemon m : miners) {
      assertThat(m.stats().refused()).as("results dropped by a miner").isZero();
    }
    System.out.printf("crash test: %d kills, verified/acked after each: %s; %.1f s%n", KILLS, seen,
        (System.nanoTime() - started) / 1e9);
  }

  private record Audit(RocksDbStorage.Shutdown shutdown, long verified, long acked, List<String> problems) {}

  /**
   * Checks the ledger as the last process left it against what the miners were told. With {@code complete}, also
   * that every task is verified and the ledger holds no result the miners were not told about.
   */
  private Audit audit(Path ledgerDir, List<Task> tasks, boolean complete) {
    List<AckRecorder.Acked> acked = new ArrayList<>();
    List<AckRecorder.Granted> granted = new ArrayList<>();
    synchronized (recorders) {
      for (AckRecorder r : recorders) {
        acked.addAll(r.acked());
        granted.addAll(r.granted());
      }
    }
    List<String> problems = new ArrayList<>();
    long now = System.currentTimeMillis();
    try (RocksDbStorage storage = RocksDbStorage.openReadOnly(ledgerDir)) {
      Ledger ledger = new Ledger(storage, now);
      Set<String> ackedKeys = new HashSet<>();
      for (AckRecorder.Acked a : acked) {
        ackedKeys.add(a.taskId() + "/" + a.miner());
        if (ledger.result(a.taskId(), a.miner()).isEmpty()) {
          problems.add("acknowledged (" + a.status() + ") but missing: task " + a.taskId() + " miner " + a.miner());
        }
      }
      Map<ByteBuffer, LeaseRecord> leases = new HashMap<>();
      ledger.leases().forEach(l -> leases.put(ByteBuffer.wrap(l.nonce()), l));
      Map<String, TaskRecord> records = new HashMap<>();
      for (Task t : tasks) {
        records.put(t.id(), ledger.task(t.id()).orElseThrow());
      }
      for (AckRecorder.Granted g : granted) {
        boolean delivered = ledger.result(g.taskId(), g.miner()).isPresent();
        boolean settled = records.get(g.taskId()).status() != TaskRecord.Status.PENDING;
        if (delivered || settled || g.deadlineMs() <= now + 1000) {
          continue;
        }
        LeaseRecord stored = leases.get(ByteBuffer.wrap(g.nonce()));
        if (stored == null || !stored.miner().equals(g.miner()) || !stored.taskId().equals(g.taskId())) {
          problems.add("lease held by miner " + g.miner() + " on task " + g.taskId() + " is not in the ledger");
        }
      }
      long verified = 0;
      Map<PublicKey, Long> expectedCredits = new HashMap<>();
      for (Task t : tasks) {
        List<ResultRecord> results = ledger.results(t.id());
        Set<PublicKey> miners = new HashSet<>();
        results.forEach(r -> miners.add(r.miner()));
        if (miners.size() != results.size()) {
          problems.add("task " + t.id() + " has two results of one miner");
        }
        TaskRecord record = records.get(t.id());
        if (record.status() == TaskRecord.Status.VERIFIED) {
          verified++;
          for (ResultRecord r : results) {
            if (r.status() == ResultRecord.Status.AGREED) {
              expectedCredits.merge(r.miner(), (long) t.tokenCount(), Long::sum);
            }
          }
          if (results.stream().filter(r -> r.status() == ResultRecord.Status.AGREED).count() != REPLICAS) {
            problems.add("verified task " + t.id() + " has " + results.size() + " results, not " + REPLICAS
                + " agreeing");
          }
        } else if (complete) {
          problems.add("task " + t.id() + " is " + record.status() + " at the end");
        }
        if (complete) {
          for (ResultRecord r : results) {
            if (!ackedKeys.contains(t.id() + "/" + r.miner())) {
              problems.add("result of miner " + r.miner() + " for task " + t.id() + " was never acknowledged");
            }
          }
        }
      }
      Map<PublicKey, Long> credited = ledger.openEpochCredits();
      if (!credited.equals(expectedCredits)) {
        problems.add("credits " + credited + " but the verified tasks earn " + expectedCredits);
      }
      return new Audit(storage.previousShutdown(), verified, acked.size(), problems.subList(0,
          Math.min(problems.size(), 20)));
    }
  }

  /** Waits until the validator has answered a miner since this was called (or the timeout passed). */
  private void awaitProgress(Duration timeout) throws InterruptedException {
    long before = answers();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (answers() == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private long answers() {
    synchronized (recorders) {
      return recorders.stream().mapToLong(AckRecorder::answers).sum();
    }
  }

  private static void awaitAllVerified(String target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (QueryClient query = QueryClient.connect(target)) {
      while (true) {
        long verified = query.networkStatus().tasksVerified();
        if (verified >= TASKS) {
          return;
        }
        assertThat(System.nanoTime()).as("all %d tasks verified within %s (now %d)", TASKS, timeout, verified)
            .isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
