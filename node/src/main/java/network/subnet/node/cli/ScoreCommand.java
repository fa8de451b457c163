package network.subnet.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.node.compete.ScoreCard;
import network.subnet.node.compete.ScoringException;
import network.subnet.node.compete.micronet.MicroNetBaseline;
import network.subnet.node.compete.micronet.MicroNetCounter;
import network.subnet.node.compete.micronet.MicroNetScorer;
import network.subnet.node.compete.micronet.OnnxReader;
import network.subnet.node.compete.tpugraphs.RuntimePredictionScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code subnet score micronet|runtime}: runs a competition scorer locally, as the validator will, so an entry can
 * be checked before it is submitted.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = "Score a competition entry locally: a MicroNet student or TpuGraphs runtime predictions.",
    subcommands = {ScoreCommand.MicroNet.class, ScoreCommand.Runtime.class})
public final class ScoreCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: micronet or runtime");
  }

  private interface Scoring {
    Map<String, Object> run() throws IOException;
  }

  /** Runs a scorer and prints its card; refusals and unreadable inputs are one line on stderr and exit code 1. */
  private static int report(CommandSpec spec, boolean json, Scoring scoring) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      Map<String, Object> result = scoring.run();
      if (json) {
        out.println(JSON.writeValueAsString(result));
      } else {
        result.forEach((k, v) -> out.printf("%-20s %s%n", k, v));
      }
      out.flush();
      return 0;
    } catch (NoSuchFileException e) {
      spec.commandLine().getErr().println("error: " + e.getFile() + " does not exist");
    } catch (JsonProcessingException e) {
      spec.commandLine().getErr().println("error: cannot print JSON: " + e.getMessage());
    } catch (IOException | ScoringException | IllegalStateException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
    }
    spec.commandLine().getErr().flush();
    return 1;
  }

  private static Map<String, Object> flatten(ScoreCard card, String scoreName) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(scoreName, card.raw());
    m.putAll(card.details());
    return m;
  }

  @Command(name = "micronet", mixinStandardHelpOptions = true,
      description = "Parameter storage and math operations per example of an ONNX model by the MicroNet rules.")
  static final class MicroNet implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "M.onnx", required = true, description = "The student model.")
    Path model;

    @Option(names = "--baseline", paramLabel = "TASK", required = true,
        description = "imagenet, cifar100 or wikitext103.")
    String baseline;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      return report(spec, json, () -> {
        MicroNetBaseline task = MicroNetBaseline.of(baseline);
        ScoreCard card = MicroNetScorer.card(MicroNetCounter.count(OnnxReader.read(Files.readAllBytes(model))), task);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toString());
        m.put("baseline", task.key());
        m.putAll(flatten(card, "score"));
        m.put("freebie16Bit", card.details().get("freebie16Bit") > 0);
        return m;
      });
    }
  }

  @Command(name = "runtime", mixinStandardHelpOptions = true,
      description = "Score TpuGraphs runtime predictions (ID,TopConfigs CSV) against a directory of .npz graphs.")
  static final class Runtime implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true,
        description = "The graphs: tile/xla/... and layout/<source>/<search>/... .npz files.")
    Path data;

    @Option(names = "--submission", paramLabel = "FILE.csv", required = true, description = "The predictions.")
    Path submission;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      return report(spec, json, () -> {
        ScoreCard card = new RuntimePredictionScorer().score(Files.readAllBytes(submission), data);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("score", card.raw());
        Map<String, Double> collections = new LinkedHashMap<>(card.details());
        m.put("graphs", collections.remove("graphs").longValue());
        m.put("collections", collections);
        return m;
      });
    }
  }
}
