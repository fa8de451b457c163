package network.subnet.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import network.subnet.miner.behavior.Behavior;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.TrustConfig;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.web.WebOptions;
import network.subnet.validator.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code subnet devnet}: a validator and N miners on loopback until N distill and M compress tasks are verified, then
 * the reward shares.
 */
@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    description = "Run a local network (validator + miners over gRPC on loopback) on the tiny model; print reward shares.",
    footer = {
      "",
      "The tiny Mistral checkpoint, a sample corpus and seeded activation matrices are generated into --dir on first",
      "use; the ledger is fresh each run. Exit code 0 once every task is verified and the signed shares are read back;",
      "1 on timeout or error. With --json the last line of output is one JSON object: tasks_verified (distill tasks),",
      "compress_tasks_verified, shares (miner key -> fraction), ..."
    })
public final class DevnetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--miners", description = "Miners to start (default: ${DEFAULT-VALUE}).")
  int miners = 3;

  @Option(names = "--tasks", description = "Tasks to verify before stopping (default: ${DEFAULT-VALUE}).")
  int tasks = 20;

  @Option(names = "--compress-tasks",
      description = "Compress tasks (64x256 bf16 activations) to verify beside them (default: ${DEFAULT-VALUE}).")
  int compressTasks = Devnet.Options.DEFAULT_COMPRESS_TASKS;

  @Option(names = "--hidden-state-tasks",
      description = "Compress tasks made of the teacher's own hidden states (middle layer, bf16) on task windows "
          + "(default: ${DEFAULT-VALUE}).")
  int hiddenStateTasks = Devnet.Options.DEFAULT_HIDDEN_STATE_TASKS;

  @Option(names = "--replicas", description = "Distinct miners per task (default: ${DEFAULT-VALUE}).")
  int replicas = 2;

  @Option(names = "--top-k", description = "Soft labels per position (default: ${DEFAULT-VALUE}).")
  int topK = 64;

  @Option(names = "--max-tokens", description = "Tokens per task at most (default: ${DEFAULT-VALUE}).")
  int maxTokens = 256;

  @Option(names = "--dir", paramLabel = "DIR", description = "Working directory (default: $SUBNET_HOME/devnet).")
  Path dir;

  @Option(names = "--timeout-s", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 300;

  @Option(names = "--json", description = "End with one JSON line describing the result.")
  boolean json;

  @Mixin WebOptions web;

  @Option(names = "--adversaries",
      description = "How many of the miners cheat, to watch the validator's defences (default: ${DEFAULT-VALUE}).")
  int adversaries = 0;

  @Option(names = "--behavior", paramLabel = "NAME", split = ",",
      description = "What the adversaries do, taken in turn: random, lazy, replay, copycat, collude (list collude "
          + "twice for a colluding pair) (default: random,lazy,replay,copycat,collude,collude).")
  List<String> behaviors = List.of("random", "lazy", "replay", "copycat", "collude", "collude");

  @Option(names = "--gold-fraction",
      description = "Share of distill tasks the validator answers itself to check miners (default: ${DEFAULT-VALUE}).")
  double goldFraction = TrustConfig.DEFAULT_GOLD_FRACTION;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path where = dir != null ? dir : SubnetHome.fromEnvironment().root().resolve("devnet");
    Devnet.Options options = new Devnet.Options(
        where, miners, tasks, compressTasks, hiddenStateTasks, replicas, topK, maxTokens, 0);
    long started = System.nanoTime();
    Population population =
        new Population(adversaries, behaviors.stream().map(Behavior::parse).toList(), goldFraction);
    try (Devnet devnet = Devnet.start(options, population)) {
      Optional<WebServer> page = web.start(devnet.validatorNode(), "127.0.0.1");
      page.ifPresent(p -> err.printf("devnet: validator web page at %s%n", p.url()));
      try {
        return run(devnet, out, err, started, page.isPresent());
      } finally {
        page.ifPresent(WebServer::stop);
      }
    }
  }

  private int run(Devnet devnet, PrintWriter out, PrintWriter err, long started, boolean webOn) throws Exception {
    Devnet.Progress progress = devnet.awaitVerified(Duration.ofSeconds(timeoutSeconds));
    if (progress.distillVerified() < devnet.taskCount()
        || progress.compressVerified() < devnet.compressTaskCount()) {
      err.printf("devnet: only %d of %d distill and %d of %d compress tasks verified after %d s%n",
          progress.distillVerified(), devnet.taskCount(), progress.compressVerified(), devnet.compressTaskCount(),
          timeoutSeconds);
      return 1;
    }
    EpochRecord epoch = devnet.finish();
    double seconds = (System.nanoTime() - started) / 1e9;
    printShares(out, epoch, progress, seconds, devnet.finishedMiners());
    if (json) {
      out.println(jsonLine(epoch, progress, seconds));
    }
    out.flush();
    if (webOn) {
      // The page is the point of --web-port: keep it up over the finished network until Ctrl-C.
      err.println("devnet: finished; the web page stays up until Ctrl-C");
      err.flush();
      Thread.currentThread().join();
    }
    return 0;
  }

  private static void printShares(
      PrintWriter out, EpochRecord epoch, Devnet.Progress progress, double seconds, List<Devnet.MinerView> miners) {
    Map<PublicKey, Behavior> behaviorOf = new HashMap<>();
    miners.forEach(m -> behaviorOf.put(m.key(), m.behavior()));
    out.printf("devnet: %d distill and %d compress tasks verified in %.1f s; epoch %d closed, merkle root %s%n",
        progress.distillVerified(), progress.compressVerified(), seconds, epoch.epoch(),
        HexFormat.of().formatHex(epoch.merkleRoot()));
    out.printf("%-64s  %8s  %7s  %s%n", "miner", "credits", "share", "behavior");
    for (MerkleTree.Entry e : epoch.entries()) {
      out.printf("%-64s  %8d  %7.4f  %s%n", e.miner().hex(), e.credits(), share(epoch, e),
          behaviorOf.getOrDefault(e.miner(), Behavior.HONEST).cliName());
    }
  }

  private static double share(EpochRecord epoch, MerkleTree.Entry e) {
    return epoch.totalCredits() == 0 ? 0 : (double) e.credits() / epoch.totalCredits();
  }

  private static String jsonLine(EpochRecord epoch, Devnet.Progress progress, double seconds) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("tasks_verified", progress.distillVerified());
    root.put("compress_tasks_verified", progress.compressVerified());
    ObjectNode shares = root.putObject("shares");
    for (MerkleTree.Entry e : epoch.entries()) {
      shares.put(e.miner().hex(), share(epoch, e));
    }
    root.put("epoch", epoch.epoch());
    root.put("merkle_root", HexFormat.of().formatHex(epoch.merkleRoot()));
    root.put("validator_key", epoch.validator().hex());
    root.put("elapsed_s", Math.round(seconds * 10) / 10.0);
    return mapper.writeValueAsString(root);
  }
}
