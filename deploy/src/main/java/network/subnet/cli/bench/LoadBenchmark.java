package network.subnet.cli.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.ledger.Ledger;

/**
 * Many simulated miners against one real validator server on loopback. A simulated miner is a key and a loop on a
 * virtual thread, not a teacher: it registers, then leases one task, optionally sleeps as if computing, submits the
 * precomputed honest labels signed with its own key over that lease, and repeats until the duration is up. Every
 * call is a real signed gRPC call; the miners share a few Netty channels so that thousands of them need only a few
 * connections. Each miner has at most one call in flight. A feeder keeps the validator's pool stocked so that miners
 * measure the validator, not an empty queue.
 */
final class LoadBenchmark {

  /**
   * What to run. {@code computeTime} is a simulated teacher's time between a lease and its submission; during
   * {@code warmUp} the miners already work but nothing is counted, so the figures describe compiled code.
   */
  record Settings(int miners, Duration warmUp, Duration duration, int channels, Duration computeTime, long seed) {}

  /** The run's figures and its audit of the ledger. */
  record Report(
      int miners,
      int channels,
      String storage,
      long computeMs,
      double registerSeconds,
      double warmUpSeconds,
      double seconds,
      double drainSeconds,
      long leaseCalls,
      long leasesGranted,
      long emptyLeaseCalls,
      long submissionsAcknowledged,
      long refusals,
      Map<String, Long> refusalsByCode,
      long tasksVerified,
      long tasksVerifiedMeasured,
      double leasesPerSecond,
      double submissionsPerSecond,
      double verdictsPerSecond,
      double leaseP50Ms,
      double leaseP99Ms,
      double leaseMaxMs,
      double submitP50Ms,
      double submitP99Ms,
      String startedAt,
      double windowStartMs,
      double windowEndMs,
      List<SlowCall> slowestLeases,
      int gcPauses,
      double gcPauseMaxMs,
      double gcPauseTotalMs,
      int slowCommits,
      double commitMaxMs,
      List<String> longestPauses,
      List<String> longestCommits,
      OverTarget overTarget,
      long resultsLost,
      long creditsTotal,
      long creditsExpected,
      boolean ok,
      List<String> problems) {}

  /**
   * One of the slowest leases: when it started (milliseconds after the run's start, the clock of
   * {@code windowStartMs}), how long it took, and the longest GC pauses and storage commits that overlapped it.
   */
  record SlowCall(double atMs, double ms, List<String> overlapped) {}

  /**
   * The leases slower than the target, split by what overlapped them: a GC pause or a storage commit of at least
   * {@code OVERLAP_MIN_MS} (both count in each), or neither (then the cores were busy elsewhere, or a lock was held).
   */
  record OverTarget(long leases, long besideGcPause, long besideSlowCommit, long besideNeither) {}

  /** How many of the slowest leases (and of the longest pauses and commits) a report lists. */
  static final int SLOWEST_LISTED = 10;

  /** Pauses and commits shorter than this are not named beside a slow lease: they cannot explain it. */
  static final double OVERLAP_MIN_MS = 20;
  private static final int OVERLAPS_LISTED = 3;

  private static final int REGISTER_ATTEMPTS = 3;
  private static final Duration MAX_LEASE_WAIT = Duration.ofSeconds(1);
  private static final int FEED_BATCH_MIN = 1_000;

  private final Settings settings;
  private final BenchWork work = new BenchWork();
  private final LongAdder leaseCalls = new LongAdder();
  private final LongAdder granted = new LongAdder();
  private final LongAdder empty = new LongAdder();
  private final LongAdder acknowledged = new LongAdder();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final Map<PublicKey, List<String>> acknowledgedByMiner = new ConcurrentHashMap<>();
  private final AtomicLong nextTask = new AtomicLong();
  private volatile long measureFromNanos = Long.MAX_VALUE;

  LoadBenchmark(Settings settings) {
    this.settings = settings;
  }

  Report run(String storageName, KeyValueStorage storage, Path dataDir) throws IOException, InterruptedException {
    try (RunTimeline timeline = new RunTimeline(System.nanoTime())) {
      return run(storageName, new TimedStorage(storage, timeline), dataDir, timeline);
    }
  }

  private Report run(String storageName, KeyValueStorage storage, Path dataDir, RunTimeline timeline)
      throws IOException, InterruptedException {
    ValidatorNode node = new ValidatorNode(
        BenchWork.config(dataDir, ValidatorConfig.DEFAULT_MAX_OPEN_LEASES_PER_MINER), storage, LocalSigner.generate(),
        System::currentTimeMillis);
    feed(node, stockTarget());
    ValidatorServer server = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC());
    server.start();
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int c = 0; c < settings.channels(); c++) {
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .maxInboundMessageSize(ClientOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE)
            .build());
      }
      return drive(node, storageName, channels, timeline);
    } finally {
      server.stop();
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
      for (ManagedChannel c : channels) {
        c.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private Report drive(ValidatorNode node, String storageName, List<ManagedChannel> channels, RunTimeline timeline)
      throws InterruptedException {
    int n = settings.miners();
    List<LocalSigner> keys = new ArrayList<>(n);
    List<GrpcValidatorApi> apis = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      LocalSigner key = LocalSigner.generate();
      keys.add(key);
      // Never closed: closing would shut the shared channel; the channels are closed once, by run().
      apis.add(GrpcValidatorApi.over(channels.get(i % channels.size()), key, ClientOptions.defaults()));
    }

    long registerStart = System.nanoTime();
    CountDownLatch registered = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    long[] endNanos = new long[1];
    List<LatencyLog> leaseLogs = new ArrayList<>(n);
    List<LatencyLog> submitLogs = new ArrayList<>(n);
    List<Thread> threads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      LatencyLog leaseLog = new LatencyLog();
      LatencyLog submitLog = new LatencyLog();
      leaseLogs.add(leaseLog);
      submitLogs.add(submitLog);
      LocalSigner key = keys.get(i);
      GrpcValidatorApi api = apis.get(i);
      threads.add(Thread.ofVirtual().name("miner-" + i).start(() -> {
        boolean ok = register(api);
        registered.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        if (ok) {
          mine(api, key, endNanos[0], leaseLog, submitLog);
        }
      }));
    }
    registered.await();
    double registerSeconds = (System.nanoTime() - registerStart) / 1e9;

    Thread feeder = Thread.ofPlatform().daemon().name("bench-feeder").start(() -> keepStocked(node));
    long go0 = System.nanoTime();
    long start = go0 + settings.warmUp().toNanos();
    measureFromNanos = start;
    endNanos[0] = start + settings.duration().toNanos();
    go.countDown();
    Thread.sleep(settings.warmUp());
    long verifiedBefore = node.ledger().tasksVerified();
    Thread.sleep(settings.duration());
    long verifiedInWindow = node.ledger().tasksVerified() - verifiedBefore;
    for (Thread t : threads) {
      t.join();
    }
    // Rates count what started inside the window; calls in flight at its end still finish (and are audited).
    double seconds = settings.duration().toNanos() / 1e9;
    double drainSeconds = (System.nanoTime() - endNanos[0]) / 1e9;
    feeder.interrupt();
    feeder.join();

    long[] leases = LatencyLog.merged(leaseLogs);
    long[] submits = LatencyLog.merged(submitLogs);
    Ledger ledger = node.ledger();
    List<String> problems = new ArrayList<>();
    long lost = 0;
    for (Map.Entry<PublicKey, List<String>> e : acknowledgedByMiner.entrySet()) {
      for (String taskId : e.getValue()) {
        if (ledger.result(taskId, e.getKey()).isEmpty()) {
          lost++;
          if (problems.size() < 10) {
            problems.add("acknowledged result of " + e.getKey() + " for task " + taskId + " is not in the ledger");
          }
        }
      }
    }
    long verified = ledger.tasksVerified();
    long credits = ledger.openEpochCredits().values().stream().mapToLong(Long::longValue).sum();
    long expected = verified * BenchWork.TOKENS * BenchWork.REPLICAS;
    if (credits != expected) {
      problems.add("credits total " + credits + ", expected verified tasks x tokens x replicas = " + expected);
    }
    if (mineTotal() == 0) {
      problems.add("no submission was acknowledged");
    }
    double windowStartMs = timeline.msSinceStart(start);
    double windowEndMs = timeline.msSinceStart(endNanos[0]);
    List<SlowCall> slowest = slowest(leaseLogs, timeline);
    List<RunTimeline.Event> pauses = RunTimeline.overlapping(timeline.pauses(), windowStartMs, windowEndMs, 0);
    List<RunTimeline.Event> commits = RunTimeline.overlapping(timeline.slowCommits(), windowStartMs, windowEndMs, 0);
    Map<String, Long> byCode = new TreeMap<>();
    refusals.forEach((code, count) -> byCode.put(code, count.sum()));
    long refused = byCode.values().stream().mapToLong(Long::longValue).sum();
    return new Report(
        n,
        channels.size(),
        storageName,
        settings.computeTime().toMillis(),
        registerSeconds,
        settings.warmUp().toMillis() / 1e3,
        seconds,
        drainSeconds,
        leaseCalls.sum(),
        granted.sum(),
        empty.sum(),
        acknowledged.sum(),
        refused,
        byCode,
        verified,
        verifiedInWindow,
        granted.sum() / seconds,
        acknowledged.sum() / seconds,
        verifiedInWindow / seconds,
        LatencyLog.percentileMs(leases, 50),
        LatencyLog.percentileMs(leases, 99),
        leases.length == 0 ? Double.NaN : leases[leases.length - 1] / 1e6,
        LatencyLog.percentileMs(submits, 50),
        LatencyLog.percentileMs(submits, 99),
        timeline.startedAt().toString(),
        windowStartMs,
        windowEndMs,
        slowest,
        pauses.size(),
        pauses.stream().mapToDouble(RunTimeline.Event::durationMs).max().orElse(0),
        pauses.stream().mapToDouble(RunTimeline.Event::durationMs).sum(),
        commits.size(),
        commits.stream().mapToDouble(RunTimeline.Event::durationMs).max().orElse(0),
        longest(pauses.stream().filter(p -> p.durationMs() >= 1).toList()),
        longest(commits),
        overTarget(leaseLogs, timeline),
        lost,
        credits,
        expected,
        problems.isEmpty() && lost == 0,
        List.copyOf(problems));
  }

  /** The slowest leases, each with the longest pauses and commits that overlapped it. */
  private static List<SlowCall> slowest(List<LatencyLog> leaseLogs, RunTimeline timeline) {
    List<SlowCall> slowest = new ArrayList<>();
    for (LatencyLog.Sample s : LatencyLog.slowest(leaseLogs, SLOWEST_LISTED)) {
      double at = timeline.msSinceStart(s.startNanos());
      double ms = s.nanos() / 1e6;
      List<RunTimeline.Event> around = timeline.overlapping(at, at + ms, OVERLAP_MIN_MS);
      List<String> named = new ArrayList<>(
          around.stream().limit(OVERLAPS_LISTED).map(LoadBenchmark::describe).toList());
      if (around.size() > OVERLAPS_LISTED) {
        named.add((around.size() - OVERLAPS_LISTED) + " more");
      }
      slowest.add(new SlowCall(at, ms, named));
    }
    return slowest;
  }

  private static OverTarget overTarget(List<LatencyLog> leaseLogs, RunTimeline timeline) {
    List<RunTimeline.Event> pauses = timeline.pauses();
    List<RunTimeline.Event> commits = timeline.slowCommits();
    long n = 0;
    long gc = 0;
    long commit = 0;
    long neither = 0;
    for (LatencyLog.Sample s : LatencyLog.slowerThan(leaseLogs, (long) (BenchLoadCommand.TARGET_P99_LEASE_MS * 1e6))) {
      double at = timeline.msSinceStart(s.startNanos());
      double end = at + s.nanos() / 1e6;
      boolean byGc = !RunTimeline.overlapping(pauses, at, end, OVERLAP_MIN_MS).isEmpty();
      boolean byCommit = !RunTimeline.overlapping(commits, at, end, OVERLAP_MIN_MS).isEmpty();
      n++;
      gc += byGc ? 1 : 0;
      commit += byCommit ? 1 : 0;
      neither += byGc || byCommit ? 0 : 1;
    }
    return new OverTarget(n, gc, commit, neither);
  }

  private static List<String> longest(List<RunTimeline.Event> events) {
    return events.stream()
        .sorted(Comparator.comparingDouble(RunTimeline.Event::durationMs).reversed())
        .limit(SLOWEST_LISTED)
        .map(LoadBenchmark::describe)
        .toList();
  }

  private static String describe(RunTimeline.Event e) {
    return String.format("%s at %.0f ms for %.1f ms", e.what(), e.atMs(), e.durationMs());
  }

  private long mineTotal() {
    return acknowledgedByMiner.values().stream().mapToLong(List::size).sum();
  }

  /**
   * Registers, retrying a call that timed out or found the validator busy, as a miner daemon would: thousands of
   * miners registering in the same second are a burst the validator answers slowly, not a refusal.
   */
  private boolean register(GrpcValidatorApi api) {
    for (int attempt = 1; ; attempt++) {
      try {
        api.register(BenchWork.capabilities(), "bench-load");
        return true;
      } catch (ApiException e) {
        refused("register " + e.code());
        boolean retry = e.code() == ApiException.Code.DEADLINE_EXCEEDED || e.code() == ApiException.Code.UNAVAILABLE
            || e.code() == ApiException.Code.RESOURCE_EXHAUSTED;
        if (!retry || attempt == REGISTER_ATTEMPTS || !sleep(Duration.ofMillis(100))) {
          return false;
        }
      }
    }
  }

  private void mine(GrpcValidatorApi api, LocalSigner key, long endNanos, LatencyLog leaseLog, LatencyLog submitLog) {
    List<String> mine = acknowledgedByMiner.computeIfAbsent(key.publicKey(), k -> new ArrayList<>());
    // Miners that compute start at random points of one compute period, as independent miners would, rather than
    // all leasing in the same instant.
    long computeNanos = settings.computeTime().toNanos();
    if (computeNanos > 0 && !sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(computeNanos)))) {
      return;
    }
    long now;
    while ((now = System.nanoTime()) < endNanos) {
      long waitMs = Math.max(1, Math.min(MAX_LEASE_WAIT.toMillis(), (endNanos - now) / 1_000_000));
      boolean counted = now >= measureFromNanos;
      List<Lease> leases;
      try {
        leases = api.lease(1, Duration.ofMillis(waitMs));
      } catch (ApiException e) {
        refused("lease " + e.code());
        // A refused call (overload, shutdown) is retried after a pause rather than in a hot loop.
        if (!sleep(Duration.ofMillis(10))) {
          return;
        }
        continue;
      } finally {
        if (counted) {
          leaseLog.record(now, System.nanoTime() - now);
          leaseCalls.increment();
        }
      }
      if (leases.isEmpty()) {
        if (counted) {
          empty.increment();
        }
        continue;
      }
      if (counted) {
        granted.add(leases.size());
      }
      for (Lease lease : leases) {
        // The miner computes for its full time even past the window's end: handing in every held task at the end
        // would be a burst no real set of miners makes, and the last leases of the window would wait behind it.
        if (computeNanos > 0 && !sleep(Duration.ofNanos(computeNanos))) {
          return;
        }
        long t0 = System.nanoTime();
        try {
          api.submit(work.result(lease, key));
          // ACCEPTED or DUPLICATE: either way the validator says it holds this result, so the audit checks it.
          mine.add(lease.taskId());
          if (t0 >= measureFromNanos && t0 < endNanos) {
            submitLog.record(t0, System.nanoTime() - t0);
            acknowledged.increment();
          }
        } catch (ApiException e) {
          refused("submit " + e.code());
        }
      }
    }
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void refused(String what) {
    refusals.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  /** Enough pending tasks that every miner can hold one and its replica partner another, twice over. */
  private long stockTarget() {
    return Math.max(FEED_BATCH_MIN, 4L * settings.miners());
  }

  private void keepStocked(ValidatorNode node) {
    long target = stockTarget();
    while (!Thread.currentThread().isInterrupted()) {
      long pending = node.ledger().tasksPending();
      if (pending < target) {
        feed(node, target - pending);
      }
      if (!sleep(Duration.ofMillis(50))) {
        return;
      }
    }
  }

  private void feed(ValidatorNode node, long count) {
    int batch = (int) Math.max(FEED_BATCH_MIN, count);
    node.addTasks(BenchWork.tasks(settings.seed(), nextTask.getAndAdd(batch), batch));
  }
}
