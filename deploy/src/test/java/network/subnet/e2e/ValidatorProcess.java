package network.subnet.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;

/**
 * A validator in its own JVM, for tests that kill it. {@link #main} is the validator the {@code subnet validator}
 * command runs, minus reading input files and the tokenizer (its tasks are already in the ledger), so it starts in a
 * fraction of the time: a node over RocksDB behind the gRPC server, with the same shutdown hook (stop the server,
 * close the ledger). The parent starts it with {@link #start}, on the test's own class path and Java binary.
 */
final class ValidatorProcess implements AutoCloseable {

  static final String SERVING = "validator-process serving";

  private final Process process;
  private final CountDownLatch serving = new CountDownLatch(1);
  private final AtomicReference<String> previousShutdown = new AtomicReference<>();
  private final List<String> lines = new ArrayList<>();

  private ValidatorProcess(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("validator-process-output").start(this::pump);
  }

  /**
   * Starts {@code mainClass} (this class, or {@code SubnetCommand} with {@code args} naming a command) in a new JVM
   * on the test class path. {@code cdsArchive} (may be null) is a class-data archive from {@link #writeArchive}, which
   * the JVM maps instead of loading and verifying the same classes again: restarts come up sooner.
   */
  static ValidatorProcess start(Path cdsArchive, String mainClass, List<String> args) throws IOException {
    return new ValidatorProcess(new ProcessBuilder(command(cdsArchive, null, mainClass, args))
        .redirectErrorStream(true).start());
  }

  /**
   * Writes a class-data archive of a validator's start and stop, for {@link #start}; returns null (no archive) when
   * the JVM could not write one, which only costs start-up time.
   */
  static Path writeArchive(Path archive) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command(null, archive, ValidatorProcess.class.getName(), List.of(WARM_UP)))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return null;
    }
    return p.exitValue() == 0 && java.nio.file.Files.isRegularFile(archive) ? archive : null;
  }

  private static final String WARM_UP = "--warm-up";

  private static List<String> command(Path useArchive, Path writeArchive, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx256m",
        "-Dai.djl.offline=true", "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    // A killed JVM never writes an archive at exit, so one is written ahead by a process that exits normally.
    if (useArchive != null) {
      command.addAll(List.of("-XX:SharedArchiveFile=" + useArchive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    }
    if (writeArchive != null) {
      command.add("-XX:ArchiveClassesAtExit=" + writeArchive);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    return command;
  }

  /** Starts {@link #main} over {@code ledger} on {@code port}. */
  static ValidatorProcess startNode(Path cdsArchive, Path ledger, Path key, int port, String modelHash,
      Duration lease) throws IOException {
    return start(cdsArchive, ValidatorProcess.class.getName(), List.of(ledger.toString(), key.toString(),
        String.valueOf(port), modelHash, String.valueOf(lease.toMillis())));
  }

  private void pump() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
        if (line.contains("previous shutdown ")) {
          previousShutdown.set(line.substring(line.indexOf("previous shutdown ") + 18).trim());
        }
        if (line.contains(SERVING) || line.contains(": serving on ")) {
          serving.countDown();
        }
      }
    } catch (IOException e) {
      // The process is gone; its exit code tells the rest.
    }
  }

  /** Waits until the server is up; fails with the process's output if it died or took too long. */
  void awaitServing(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!serving.await(50, TimeUnit.MILLISECONDS)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("validator process did not start serving within " + timeout + " (alive: "
            + process.isAlive() + "); output:\n" + output());
      }
    }
  }

  /** How the ledger's previous session ended, as this process reported at start ("clean", "unclean", "none"). */
  String previousShutdown() {
    return previousShutdown.get();
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** SIGKILL: no shutdown hook, no flush; waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, then waits for the exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("process did not exit within " + timeout + " of SIGTERM; output:\n" + output());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** Args: ledger dir, key file, port, model hash, lease ms; or {@code --warm-up} alone (start and stop, then exit). */
  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals(WARM_UP)) {
      warmUp();
      return;
    }
    Path ledger = Path.of(args[0]);
    ValidatorConfig config = ValidatorConfig.defaults()
        .withReplicas(2)
        .withTeacher(args[3], 16, 64)
        .withLeaseDuration(Duration.ofMillis(Long.parseLong(args[4])))
        .withEpochLength(Duration.ofHours(1));
    RocksDbStorage storage = RocksDbStorage.open(ledger);
    System.out.println("validator-process: previous shutdown "
        + storage.previousShutdown().name().toLowerCase(java.util.Locale.ROOT));
    Clock clock = Clock.systemUTC();
    ValidatorNode node = new ValidatorNode(config, storage, KeyFile.loadOrCreate(Path.of(args[1])), clock::millis);
    ValidatorServer server = new ValidatorServer(node, "127.0.0.1", Integer.parseInt(args[2]), clock);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      storage.close();
      stopped.countDown();
    }, "validator-shutdown"));
    server.start();
    System.out.println(SERVING + " on " + server.port() + " with " + node.ledger().tasksPending() + " tasks pending");
    stopped.await();
  }

  /** Goes through what a start and stop load, on a throw-away ledger, so the archive holds those classes. */
  private static void warmUp() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("validator-warm-up");
    Clock clock = Clock.systemUTC();
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      ValidatorNode node = new ValidatorNode(ValidatorConfig.defaults().withTeacher("warm-up", 16, 64), storage,
          KeyFile.loadOrCreate(dir.resolve("key")), clock::millis);
      ValidatorServer server = new ValidatorServer(node, "127.0.0.1", 0, clock);
      server.start();
      server.stop();
    } finally {
      try (var paths = java.nio.file.Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(p);
        }
      }
    }
  }
}
