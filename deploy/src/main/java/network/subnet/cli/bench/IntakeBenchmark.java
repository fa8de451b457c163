package network.subnet.cli.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.BatchingVerifier;
import network.subnet.node.identity.Ed25519;
import network.subnet.node.identity.Ed25519Batch;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.ResultSignatures;
import network.subnet.node.results.ResultDigest;
import network.subnet.node.storage.GroupCommitStorage;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.tasks.Task;

/**
 * Validator intake at the domain level: a real {@link ValidatorNode} over the given storage, two honest miners that
 * have leased every task, and their pre-signed results submitted through {@code MinerGateway.submit} by many
 * concurrent callers on virtual threads, as the gRPC server runs them (one per call in flight). Each call returns only
 * once its result is durable; concurrent calls share an fsync through the node's group commit, and the count of
 * underlying commits is reported. Only the submissions are timed; leasing and signing happen before the clock starts.
 * Afterwards the ledger is audited: every task verified, every result stored as agreeing, credits exactly tokens x
 * replicas per task.
 */
final class IntakeBenchmark {

  /**
   * One timed intake run and its audit; {@code verify} says how result signatures were checked ("single": each alone,
   * "batched": through the shared batching verifier) and {@code meanBatch} the signatures per batch (0 for single).
   */
  record IntakeRun(
      String storage,
      int tasks,
      int results,
      int inFlight,
      long commits,
      double seconds,
      double resultsPerSecond,
      double tasksVerifiedPerSecond,
      double cpuMicrosPerResult,
      Audit audit,
      String verify,
      double meanBatch) {}

  /**
   * What the ledger holds after the run. {@code ok} when every submission was accepted, every task is verified with
   * both results agreeing, and credits equal tokens x replicas for each task, per miner and in total.
   */
  record Audit(
      boolean ok,
      long accepted,
      long refused,
      long tasksVerified,
      long resultsAgreed,
      long creditsTotal,
      long creditsExpected,
      List<String> problems) {}

  /**
   * Raw Bouncy Castle Ed25519 verification of the same result digests and signatures: as the validator does it
   * ({@code pointCache}: each key's point decoded once), or with the key decoded on every call, as before the cache.
   */
  record VerifyRate(int threads, boolean pointCache, int signatures, double seconds, double verifiesPerSecond) {}

  /**
   * {@link Ed25519Batch} on the same kind of result signatures, {@code batch} per call, signed by {@code keys}
   * distinct keys, next to Bouncy Castle's single verify of the very same signatures on as many threads; the passes
   * of the two alternate and each rate is the median of three.
   */
  record BatchRate(
      int threads,
      int batch,
      int keys,
      int signatures,
      double verifiesPerSecond,
      double singleVerifiesPerSecond,
      double speedup) {}

  /** A result ready to submit, with what a bare signature check needs. */
  private record Prepared(PublicKey miner, WorkResult result, byte[] digest) {}

  private static final int LEASE_CHUNK = 256;

  private final BenchWork work = new BenchWork();
  private final long seed;

  IntakeBenchmark(long seed) {
    this.seed = seed;
  }

  /**
   * Runs intake of {@code tasks} tasks (two results each) on a fresh validator over {@code storage} (whose files, if
   * any, live in {@code dataDir}).
   */
  IntakeRun run(String storageName, KeyValueStorage storage, Path dataDir, int tasks, int inFlight)
      throws InterruptedException {
    // Each miner holds a lease on every task before the clock starts, hence the open-lease cap of one per task.
    GroupCommitStorage grouped = GroupCommitStorage.over(storage);
    ValidatorNode node = new ValidatorNode(
        BenchWork.config(dataDir, Math.max(1, tasks)), grouped, LocalSigner.generate(), System::currentTimeMillis);
    List<Task> all = BenchWork.tasks(seed, 0, tasks);
    for (int from = 0; from < tasks; from += 4096) {
      node.addTasks(all.subList(from, Math.min(tasks, from + 4096)));
    }
    List<Prepared> prepared = prepare(node, tasks);

    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicReference<String> firstRefusal = new AtomicReference<>();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < inFlight; w++) {
      workers.add(Thread.ofVirtual().name("intake-" + w).start(() -> {
        awaitQuietly(gate);
        for (int k = next.getAndIncrement(); k < prepared.size(); k = next.getAndIncrement()) {
          Prepared p = prepared.get(k);
          try {
            SubmitOutcome outcome = node.submit(p.miner(), p.result());
            (outcome.status() == SubmitOutcome.Status.ACCEPTED ? accepted : refused).incrementAndGet();
          } catch (ApiException e) {
            refused.incrementAndGet();
            firstRefusal.compareAndSet(null, e.code() + ": " + e.getMessage());
          }
        }
      }));
    }
    long commitsBefore = grouped.groupsCommitted();
    BatchingVerifier batcher = ResultSignatures.verifier();
    long batchesBefore = batcher.batches();
    long checksBefore = batcher.checks();
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    gate.countDown();
    for (Thread t : workers) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpu = processCpuNanos() - cpuStart;
    long commits = grouped.groupsCommitted() - commitsBefore;
    long batches = batcher.batches() - batchesBefore;
    double meanBatch = batches == 0 ? 0 : (double) (batcher.checks() - checksBefore) / batches;
    int results = tasks * BenchWork.REPLICAS;
    Audit audit = audit(node.ledger(), all, accepted.get(), refused.get(), firstRefusal.get());
    node.stop();
    return new IntakeRun(
        storageName, tasks, results, inFlight, commits, seconds, results / seconds, tasks / seconds,
        cpu / 1e3 / results, audit, batches == 0 ? "single" : "batched", meanBatch);
  }

  /**
   * CPU time of the whole process so far, every thread and the JIT and GC included: per result, it is the core time
   * intake costs, which a machine shared with other work changes far less than the wall-clock rate.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Registers two miners, leases every task to both and signs their results, in (task, miner) order. */
  private List<Prepared> prepare(ValidatorNode node, int tasks) {
    List<LocalSigner> miners = List.of(LocalSigner.generate(), LocalSigner.generate());
    List<List<Lease>> leases = new ArrayList<>();
    for (LocalSigner m : miners) {
      node.register(m.publicKey(), BenchWork.capabilities(), "bench-intake");
      leases.add(new ArrayList<>(tasks));
    }
    // The miners lease in turns, a chunk at a time: the scheduler skips the half-replicated tasks a miner already
    // holds when picking, so one miner taking every task first would make this set-up quadratic.
    while (leases.get(0).size() < tasks) {
      int chunk = Math.min(LEASE_CHUNK, tasks - leases.get(0).size());
      for (int m = 0; m < miners.size(); m++) {
        List<Lease> batch = node.lease(miners.get(m).publicKey(), chunk, Duration.ZERO);
        if (batch.size() != chunk) {
          throw new IllegalStateException("the validator leased " + batch.size() + " of " + chunk + " tasks");
        }
        leases.get(m).addAll(batch);
      }
    }
    List<Prepared> prepared = new ArrayList<>(tasks * miners.size());
    for (int task = 0; task < tasks; task++) {
      for (int m = 0; m < miners.size(); m++) {
        LocalSigner miner = miners.get(m);
        WorkResult result = work.result(leases.get(m).get(task), miner);
        prepared.add(new Prepared(miner.publicKey(), result, ResultDigest.of(result, miner.publicKey())));
      }
    }
    return prepared;
  }

  private static Audit audit(Ledger ledger, List<Task> tasks, long accepted, long refused, String firstRefusal) {
    List<String> problems = new ArrayList<>();
    long expectedResults = (long) tasks.size() * BenchWork.REPLICAS;
    if (accepted != expectedResults) {
      problems.add("accepted " + accepted + " of " + expectedResults + " results"
          + (firstRefusal == null ? "" : "; first refusal: " + firstRefusal));
    }
    long verified = 0;
    long agreed = 0;
    for (Task task : tasks) {
      TaskRecord record = ledger.task(task.id()).orElse(null);
      if (record != null && record.status() == TaskRecord.Status.VERIFIED) {
        verified++;
      } else if (problems.size() < 10) {
        problems.add("task " + task.id() + " is " + (record == null ? "missing" : record.status()));
      }
      List<ResultRecord> results = ledger.results(task.id());
      long ok = results.stream().filter(r -> r.status() == ResultRecord.Status.AGREED).count();
      agreed += ok;
      if ((ok != BenchWork.REPLICAS || results.size() != BenchWork.REPLICAS) && problems.size() < 10) {
        problems.add("task " + task.id() + " has " + results.size() + " results, " + ok + " agreed");
      }
    }
    if (ledger.tasksVerified() != tasks.size()) {
      problems.add("ledger counts " + ledger.tasksVerified() + " verified tasks, expected " + tasks.size());
    }
    Map<PublicKey, Long> credits = ledger.openEpochCredits();
    long perMiner = (long) tasks.size() * BenchWork.TOKENS;
    long total = credits.values().stream().mapToLong(Long::longValue).sum();
    long expected = perMiner * BenchWork.REPLICAS;
    if (total != expected) {
      problems.add("credits total " + total + ", expected tokens x replicas = " + expected);
    }
    if (credits.size() != BenchWork.REPLICAS || credits.values().stream().anyMatch(c -> c != perMiner)) {
      problems.add("credits per miner " + credits.values() + ", expected " + perMiner + " each");
    }
    return new Audit(problems.isEmpty(), accepted, refused, verified, agreed, total, expected, List.copyOf(problems));
  }

  /** Verifies {@code count} fresh result signatures from {@code threads} threads; the median of three passes. */
  VerifyRate verifyRate(int count, int threads) throws InterruptedException {
    return verifyRates(count, threads, false).get(0);
  }

  /**
   * As {@link #verifyRate}, and, when {@code alsoWithoutCache}, the same signatures verified with each key decoded
   * afresh; the passes of the two alternate, so a shared machine's changing load falls on both alike.
   */
  List<VerifyRate> verifyRates(int count, int threads, boolean alsoWithoutCache) throws InterruptedException {
    LocalSigner a = LocalSigner.generate();
    LocalSigner b = LocalSigner.generate();
    List<Prepared> sample = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      LocalSigner m = i % 2 == 0 ? a : b;
      byte[] nonce = new byte[16];
      nonce[0] = (byte) i;
      nonce[1] = (byte) (i >>> 8);
      nonce[2] = (byte) (i >>> 16);
      WorkResult r = work.signed(BenchWork.task(seed, i / 2).id(), nonce, m);
      sample.add(new Prepared(m.publicKey(), r, ResultDigest.of(r, m.publicKey())));
    }
    double[] cached = new double[3];
    double[] uncached = new double[3];
    for (int pass = 0; pass < cached.length; pass++) {
      cached[pass] = verifyAll(sample, threads, true);
      if (alsoWithoutCache) {
        uncached[pass] = verifyAll(sample, threads, false);
      }
    }
    List<VerifyRate> rates = new ArrayList<>();
    rates.add(median(threads, true, count, cached));
    if (alsoWithoutCache) {
      rates.add(median(threads, false, count, uncached));
    }
    return rates;
  }

  private static VerifyRate median(int threads, boolean pointCache, int count, double[] passes) {
    Arrays.sort(passes);
    double seconds = passes[passes.length / 2];
    return new VerifyRate(threads, pointCache, count, seconds, count / seconds);
  }

  private static double verifyAll(List<Prepared> sample, int threads, boolean pointCache)
      throws InterruptedException {
    CountDownLatch gate = new CountDownLatch(1);
    AtomicLong failures = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      workers.add(Thread.ofPlatform().name("verify-" + t).start(() -> {
        awaitQuietly(gate);
        for (int i = offset; i < sample.size(); i += threads) {
          Prepared p = sample.get(i);
          boolean ok = pointCache
              ? Ed25519.verify(p.miner(), p.digest(), p.result().signature())
              : Ed25519.verifyWithoutCache(p.miner(), p.digest(), p.result().signature());
          if (!ok) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    long start = System.nanoTime();
    gate.countDown();
    for (Thread t : workers) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " honest signatures failed to verify");
    }
    return seconds;
  }

  /**
   * Batch verify rates of {@code count} fresh result signatures in batches of {@code batch}, on each of {@code
   * threadCounts}, signed by two keys and by a distinct key each, with the single verify rate of the same signatures.
   */
  List<BatchRate> batchRates(int count, int batch, int... threadCounts) throws InterruptedException {
    List<BatchRate> rates = new ArrayList<>();
    for (int keys : new int[] {2, count}) {
      List<LocalSigner> signers = new ArrayList<>(keys);
      for (int k = 0; k < keys; k++) {
        signers.add(LocalSigner.generate());
      }
      List<Ed25519Batch.Item> sample = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        LocalSigner m = signers.get(i % keys);
        WorkResult r = work.signed(BenchWork.task(seed, i).id(), nonce(i), m);
        sample.add(new Ed25519Batch.Item(m.publicKey(), ResultDigest.of(r, m.publicKey()), r.signature()));
      }
      for (int threads : threadCounts) {
        double[] batched = new double[3];
        double[] single = new double[3];
        for (int pass = 0; pass < batched.length; pass++) {
          batched[pass] = verifyBatches(sample, batch, threads);
          single[pass] = verifySingly(sample, batch, threads);
        }
        Arrays.sort(batched);
        Arrays.sort(single);
        double batchRate = count / batched[1];
        double singleRate = count / single[1];
        rates.add(new BatchRate(threads, batch, keys, count, batchRate, singleRate, batchRate / singleRate));
      }
    }
    return rates;
  }

  private static byte[] nonce(int i) {
    byte[] nonce = new byte[16];
    nonce[0] = (byte) i;
    nonce[1] = (byte) (i >>> 8);
    nonce[2] = (byte) (i >>> 16);
    nonce[3] = 1; // apart from the nonces of verifyRates
    return nonce;
  }

  private static double verifyBatches(List<Ed25519Batch.Item> sample, int batch, int threads)
      throws InterruptedException {
    return timed(sample, batch, threads, chunk -> {
      int bad = 0;
      for (boolean ok : Ed25519Batch.verify(chunk)) {
        bad += ok ? 0 : 1;
      }
      return bad;
    });
  }

  private static double verifySingly(List<Ed25519Batch.Item> sample, int batch, int threads)
      throws InterruptedException {
    return timed(sample, batch, threads, chunk -> {
      int bad = 0;
      for (Ed25519Batch.Item item : chunk) {
        bad += Ed25519.verify(item.key(), item.message(), item.signature()) ? 0 : 1;
      }
      return bad;
    });
  }

  /** Seconds for {@code threads} threads to take turns at chunks of {@code batch}; fails if any signature did. */
  private static double timed(
      List<Ed25519Batch.Item> sample, int batch, int threads, ToIntFunction<List<Ed25519Batch.Item>> verify)
      throws InterruptedException {
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger next = new AtomicInteger();
    AtomicLong failures = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofPlatform().name("batch-verify-" + t).start(() -> {
        awaitQuietly(gate);
        for (int from = next.getAndAdd(batch); from < sample.size(); from = next.getAndAdd(batch)) {
          failures.addAndGet(verify.applyAsInt(sample.subList(from, Math.min(sample.size(), from + batch))));
        }
      }));
    }
    long start = System.nanoTime();
    gate.countDown();
    for (Thread t : workers) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " honest signatures failed to verify");
    }
    return seconds;
  }

  private static void awaitQuietly(CountDownLatch gate) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
