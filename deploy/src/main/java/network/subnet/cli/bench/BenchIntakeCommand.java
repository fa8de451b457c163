package network.subnet.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import network.subnet.cli.bench.IntakeBenchmark.BatchRate;
import network.subnet.cli.bench.IntakeBenchmark.IntakeRun;
import network.subnet.cli.bench.IntakeBenchmark.VerifyRate;
import network.subnet.node.cli.BenchReport;
import network.subnet.node.identity.BatchingVerifier;
import network.subnet.node.identity.ResultSignatures;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.node.storage.RocksDbStorage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code subnet bench intake}: signed small results verified and credited per second by a real validator, over
 * RocksDB and in memory, next to the raw Ed25519 verify rate of the same machine in the same run. The target from the
 * design is 20,000 results/s on 2 cores; the ratio to the verify rate says how much of the budget goes to signature
 * checks versus everything else (digest, label decode, consensus, ledger writes, locks). Each run also reports the
 * process's CPU time per result over its timed submissions (every thread, JIT and GC included): the core time intake
 * costs, which a machine shared with other work disturbs far less than the wall-clock rate.
 *
 * <p>Intake runs twice per storage: first with every result signature checked alone by Bouncy Castle, then batched
 * across concurrent submissions ({@code ResultSignatures}, the validator's default), so before and after share one
 * machine state. The raw batch verify rate ({@code Ed25519Batch}, 64 per batch, two keys and all-distinct keys, on 1
 * and {@code --threads} threads) is printed next to the single verify rate of the same signatures.
 */
@Command(
    name = "intake",
    mixinStandardHelpOptions = true,
    description = "Measure validator intake: signed results verified and credited per second (RocksDB and memory).")
public final class BenchIntakeCommand implements Callable<Integer> {

  static final double TARGET_RESULTS_PER_SECOND = 20_000;
  static final int BATCH = BatchingVerifier.DEFAULT_MAX_BATCH;

  private static final int WARM_UP_TASKS = 10_000;

  @Spec CommandSpec spec;

  @Option(
      names = "--results",
      defaultValue = "40000",
      description = "Results to submit per storage: results/2 tasks, two replicas each (default ${DEFAULT-VALUE}).")
  int results;

  @Option(names = "--threads", defaultValue = "2",
      description = "Threads of the raw Ed25519 verify rate it is compared with: the cores (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--in-flight", defaultValue = "256",
      description = "Submissions in flight at once, as concurrent miner calls (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the task contents (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (results < 2 || results % 2 != 0) {
      throw new IllegalArgumentException("--results must be an even number >= 2 (two replicas per task), got "
          + results);
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("--threads must be in 1..64, got " + threads);
    }
    if (inFlight < 1 || inFlight > 10_000) {
      throw new IllegalArgumentException("--in-flight must be in 1..10000, got " + inFlight);
    }
    int tasks = results / 2;
    IntakeBenchmark bench = new IntakeBenchmark(seed);
    // Throw-away rounds first, on both storages and as long as a timed one (up to 10,000 tasks), so the timed runs
    // measure compiled code: a shorter warm-up left the JIT compiler with a fifth of the timed runs' CPU time. The
    // single-verify path gets a shorter one of its own.
    int warmUp = Math.min(tasks, WARM_UP_TASKS);
    bench.run("warm-up", new InMemoryStorage(), Path.of("."), warmUp, inFlight);
    rocksDbRun(bench, "warm-up", warmUp);
    ResultSignatures.setBatching(false);
    try {
      bench.run("warm-up", new InMemoryStorage(), Path.of("."), Math.min(tasks, 2_000), inFlight);
    } finally {
      ResultSignatures.setBatching(true);
    }
    bench.verifyRates(Math.min(results, 2_000), 1, true);
    bench.batchRates(Math.min(results, 2 * BATCH), BATCH, 1);

    // Before and after: result signatures checked one by one, then batched across concurrent submissions.
    List<IntakeRun> single;
    List<IntakeRun> runs;
    ResultSignatures.setBatching(false);
    try {
      single = runBoth(bench, tasks);
    } finally {
      ResultSignatures.setBatching(true);
    }
    runs = runBoth(bench, tasks);
    int sample = Math.min(results, 20_000);
    VerifyRate one = bench.verifyRate(sample, 1);
    List<VerifyRate> both = bench.verifyRates(sample, threads, true);
    VerifyRate many = both.get(0);
    VerifyRate uncached = both.get(1);
    List<BatchRate> batchRates = bench.batchRates(Math.min(results, 200 * BATCH), BATCH, 1, threads);
    boolean allOk = runs.stream().allMatch(r -> r.audit().ok()) && single.stream().allMatch(r -> r.audit().ok());
    print(runs, single, one, many, uncached, batchRates, allOk);
    return allOk ? 0 : 1;
  }

  private List<IntakeRun> runBoth(IntakeBenchmark bench, int tasks) throws Exception {
    List<IntakeRun> runs = new ArrayList<>();
    runs.add(rocksDbRun(bench, "rocksdb", tasks));
    runs.add(bench.run("memory", new InMemoryStorage(), Path.of("."), tasks, inFlight));
    return runs;
  }

  private IntakeRun rocksDbRun(IntakeBenchmark bench, String name, int tasks) throws Exception {
    Path dir = Files.createTempDirectory("subnet-bench-intake");
    try (RocksDbStorage rocks = RocksDbStorage.open(dir.resolve("ledger"))) {
      return bench.run(name, rocks, dir, tasks, inFlight);
    } finally {
      deleteTree(dir);
    }
  }

  private void print(List<IntakeRun> runs, List<IntakeRun> single, VerifyRate one, VerifyRate many,
      VerifyRate uncached, List<BatchRate> batchRates, boolean allOk) throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("threads", threads);
    report.put("inFlight", inFlight);
    report.put("tokensPerTask", BenchWork.TOKENS);
    report.put("topK", BenchWork.TOP_K);
    report.put("replicas", BenchWork.REPLICAS);
    report.put("targetResultsPerSecond", TARGET_RESULTS_PER_SECOND);
    report.put("runs", runs);
    report.put("runsSingleVerify", single);
    report.put("verify", List.of(one, many, uncached));
    report.put("batchVerify", batchRates);
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (IntakeRun r : runs) {
      ratios.put(r.storage(), r.resultsPerSecond() / many.verifiesPerSecond());
    }
    report.put("intakeToVerifyRatio", ratios);
    report.put("auditOk", allOk);
    BenchReport.print(spec.commandLine().getOut(), json, report, out -> {
      out.printf("validator intake: %d results per storage (%d tasks x %d replicas), %d tokens, top-k %d,"
              + " %d submissions in flight, %d cores%n",
          runs.get(0).results(), runs.get(0).tasks(), BenchWork.REPLICAS, BenchWork.TOKENS, BenchWork.TOP_K, inFlight,
          Runtime.getRuntime().availableProcessors());
      out.printf("%-9s %-8s %6s %10s %12s %12s %10s %12s %14s %8s%n", "storage", "verify", "batch", "seconds",
          "results/s", "tasks/s", "commits", "cpu us/res", "vs verify(" + threads + "t)", "target");
      for (IntakeRun r : concat(single, runs)) {
        out.printf("%-9s %-8s %6.1f %10.3f %12.0f %12.0f %10d %12.1f %14.2f %8s%n", r.storage(), r.verify(),
            r.meanBatch(), r.seconds(), r.resultsPerSecond(), r.tasksVerifiedPerSecond(), r.commits(),
            r.cpuMicrosPerResult(),
            r.resultsPerSecond() / many.verifiesPerSecond(),
            r.resultsPerSecond() >= TARGET_RESULTS_PER_SECOND ? "met" : "missed");
      }
      for (int i = 0; i < runs.size(); i++) {
        out.printf("%s: batched %.0f results/s vs single %.0f results/s (x%.2f)%n", runs.get(i).storage(),
            runs.get(i).resultsPerSecond(), single.get(i).resultsPerSecond(),
            runs.get(i).resultsPerSecond() / single.get(i).resultsPerSecond());
      }
      out.printf("Ed25519 verify (Bouncy Castle), %d signatures: %.0f/s on 1 thread, %.0f/s on %d threads;"
              + " without the point cache %.0f/s on %d threads%n",
          one.signatures(), one.verifiesPerSecond(), many.verifiesPerSecond(), many.threads(),
          uncached.verifiesPerSecond(), uncached.threads());
      for (BatchRate b : batchRates) {
        out.printf("Ed25519 batch verify, %d signatures by %s, %d per batch, %d thread%s: %.0f/s vs Bouncy Castle"
                + " single %.0f/s (x%.2f)%n",
            b.signatures(), b.keys() == 2 ? "2 keys" : "distinct keys", b.batch(), b.threads(),
            b.threads() == 1 ? "" : "s", b.verifiesPerSecond(), b.singleVerifiesPerSecond(), b.speedup());
      }
      out.printf("target %.0f results/s%n", TARGET_RESULTS_PER_SECOND);
      for (IntakeRun r : concat(single, runs)) {
        IntakeBenchmark.Audit a = r.audit();
        out.printf("audit %-8s %-7s %s: accepted %d, refused %d, tasks verified %d/%d, results agreed %d, credits %d"
                + " (expected %d)%n",
            r.storage(), r.verify(), a.ok() ? "OK" : "FAILED", a.accepted(), a.refused(), a.tasksVerified(), r.tasks(),
            a.resultsAgreed(), a.creditsTotal(), a.creditsExpected());
        a.problems().forEach(p -> out.println("  " + p));
      }
    });
  }

  private static List<IntakeRun> concat(List<IntakeRun> a, List<IntakeRun> b) {
    List<IntakeRun> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchIntakeCommand()).execute(args));
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the benchmark's temp dir " + dir, e);
    }
  }
}
