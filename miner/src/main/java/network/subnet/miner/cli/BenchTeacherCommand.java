package network.subnet.miner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import network.subnet.miner.teacher.TeacherBenchmark;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.cli.BenchReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code subnet bench teacher}: teacher prefill FLOP/s next to the same engine's plain fp32 matmul FLOP/s. */
@Command(
    name = "teacher",
    mixinStandardHelpOptions = true,
    description = {
      "Builds a ~100M-parameter Mistral-shaped model with random weights in memory, times prefill of one sequence"
          + " (top-k soft labels included) and a plain fp32 matmul of the model's largest layer shape, and prints"
          + " tokens/s, model FLOP/s, matmul FLOP/s and their ratio (model FLOP utilisation).",
      "On a machine shared with other work, export OMP_WAIT_POLICY=PASSIVE before starting: spinning OpenMP threads"
          + " otherwise slow the many small ops of a forward pass far more than one large matmul.",
      "GPU: --device gpu needs PyTorch CUDA natives (pytorch-native-cu128 jar on the classpath, or PYTORCH_FLAVOR=cu128"
          + " with network access)."
    })
public final class BenchTeacherCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--tokens", defaultValue = "512", description = "Sequence length (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--top-k", defaultValue = "64", description = "Soft-label k (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--repeat",
      defaultValue = "5",
      description = "Timed runs; the median counts (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--threads", defaultValue = "0", description = "PyTorch intra-op threads; 0 = engine default.")
  int threads;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (tokens < 1 || topK < 1 || warmup < 0 || repeat < 1) {
      err.println("error: --tokens, --top-k and --repeat must be positive, --warmup non-negative");
      return 2;
    }
    try {
      TeacherOptions options = new TeacherOptions(device, threads, TeacherOptions.DEFAULT_MAX_BATCH_TOKENS);
      TeacherBenchmark.Result r =
          TeacherBenchmark.run(TeacherBenchmark.MID_SIZE, tokens, topK, warmup, repeat, options);
      BenchReport.print(out, json, r, o -> {
        o.printf(
            "teacher prefill on %s (%d threads, OMP_WAIT_POLICY=%s): %.1fM params, %d tokens, top-%d%n",
            r.device(), r.threads(), r.ompWaitPolicy(), r.parameters() / 1e6, r.tokens(), r.topK());
        o.printf(
            "  prefill        %.3f s (median of %d), %.1f tokens/s%n",
            r.prefillSeconds(), r.repetitions(), r.tokensPerSecond());
        o.printf(
            "  model          %.2f GFLOP/s (%.1f GFLOP per pass)%n",
            r.modelFlopsPerSecond() / 1e9, r.modelFlops() / 1e9);
        o.printf("  fp32 matmul    %.2f GFLOP/s %s%n", r.matmulFlopsPerSecond() / 1e9, r.matmulShape());
        o.printf(
            "  utilisation    %.3f median of per-run ratios (range %.3f-%.3f; target >= 0.6)%n",
            r.utilization(), r.utilizationMin(), r.utilizationMax());
      });
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("error: " + e);
      return 1;
    }
  }
}
