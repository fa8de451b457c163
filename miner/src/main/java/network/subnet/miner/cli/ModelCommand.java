package network.subnet.miner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.model.MistralConfig;
import network.subnet.node.model.TinyCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code subnet model}: model-directory utilities. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Model directory utilities.",
    subcommands = {ModelCommand.InitTiny.class})
public final class ModelCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code subnet model init-tiny}: writes the deterministic tiny Mistral checkpoint. */
  @Command(
      name = "init-tiny",
      mixinStandardHelpOptions = true,
      description =
          "Writes a small Mistral-architecture checkpoint in the Hugging Face layout (config.json, two bf16"
              + " safetensors shards with model.safetensors.index.json, tokenizer.json). The same seed gives"
              + " byte-identical files.")
  public static final class InitTiny implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, description = "Directory to write (created if missing).")
    Path out;

    @Option(names = "--seed", defaultValue = "7", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try {
        MistralConfig c = TinyCheckpoint.write(out, seed);
        String hash = MistralCheckpoint.open(out).modelHash();
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
            "wrote %s: %d layers, hidden %d, %d heads (%d kv), vocab %d, %.2fM params, model hash %s%n",
            out, c.numHiddenLayers(), c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(), c.vocabSize(),
            c.parameterCount() / 1e6, hash);
        o.flush();
        return 0;
      } catch (Exception e) {
        err.println("error: " + e.getMessage());
        return 1;
      }
    }
  }
}
