package network.subnet.miner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.labels.SoftLabels;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code subnet teacher}: runs the teacher on text and prints one JSON line per text: the token ids (BOS included) and,
 * per position, the top-k next-token ids with their natural-log probabilities, best first.
 */
@Command(
    name = "teacher",
    mixinStandardHelpOptions = true,
    description = {
      "Tokenizes text with the model's tokenizer.json and prints, per text, one JSON line"
          + " {\"ids\": [...], \"topk\": [{\"ids\": [...], \"logprobs\": [...]}, ...]} (natural log, best first).",
      "Progress, load time and memory go to stderr.",
      "GPU: --device gpu needs PyTorch CUDA natives: put ai.djl.pytorch:pytorch-native-cu128:2.7.1:linux-x86_64 on the"
          + " classpath, set PYTORCH_FLAVOR=cu128 on a host with network access (without -Dai.djl.offline=true), or"
          + " point PYTORCH_LIBRARY_PATH at a local CUDA build of libtorch 2.7.1."
    })
public final class TeacherCommand implements Callable<Integer> {

  private static final int CHUNK = 64;

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "Hugging Face Mistral model directory.")
  Path model;

  @Option(names = "--top-k", defaultValue = "64", description = "Entries per position (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "Softmax temperature (default: ${DEFAULT-VALUE}).")
  float temperature;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu (fp32) or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--threads", defaultValue = "0", description = "PyTorch intra-op threads; 0 = engine default.")
  int threads;

  @ArgGroup(multiplicity = "1")
  Input input;

  /** Exactly one source of text. */
  static final class Input {
    @Option(names = "--text", description = "One text.")
    String text;

    @Option(names = "--input", description = "JSON lines file of objects with a \"text\" field; one output line each.")
    Path file;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (topK < 1) {
      err.println("error: --top-k must be positive");
      return 2;
    }
    if (!(temperature > 0) || Float.isInfinite(temperature)) {
      err.println("error: --temperature must be positive");
      return 2;
    }
    ObjectMapper json = new ObjectMapper();
    List<String> texts;
    try {
      texts = input.text != null ? List.of(input.text) : readTexts(json, input.file);
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    TeacherOptions options;
    try {
      options = new TeacherOptions(device, threads, TeacherOptions.DEFAULT_MAX_BATCH_TOKENS);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    try (MistralTeacher teacher = MistralTeacher.load(model, options, msg -> err.println(msg))) {
      err.flush();
      // Chunks bound memory for long input files; output order follows input order.
      for (int from = 0; from < texts.size(); from += CHUNK) {
        List<String> chunk = texts.subList(from, Math.min(texts.size(), from + CHUNK));
        List<int[]> seqs = new ArrayList<>(chunk.size());
        for (String t : chunk) {
          seqs.add(teacher.tokenizer().encode(t));
        }
        List<SoftLabels> labels = teacher.label(seqs, topK, temperature);
        for (int i = 0; i < seqs.size(); i++) {
          out.println(json.writeValueAsString(toJson(json, seqs.get(i), labels.get(i))));
        }
      }
      out.flush();
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  static List<String> readTexts(ObjectMapper json, Path file) throws IOException {
    List<String> texts = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = json.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(file + ":" + n + ": not JSON: " + e.getMessage());
        }
        if (node == null || !node.path("text").isTextual()) {
          throw new IllegalArgumentException(file + ":" + n + ": expected an object with a \"text\" string");
        }
        texts.add(node.get("text").asText());
      }
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file + ": no such input file");
    }
    return texts;
  }

  static ObjectNode toJson(ObjectMapper json, int[] ids, SoftLabels labels) {
    ObjectNode root = json.createObjectNode();
    ArrayNode idArray = root.putArray("ids");
    for (int id : ids) {
      idArray.add(id);
    }
    ArrayNode topk = root.putArray("topk");
    for (int p = 0; p < labels.positions(); p++) {
      ObjectNode pos = topk.addObject();
      ArrayNode pi = pos.putArray("ids");
      ArrayNode pl = pos.putArray("logprobs");
      for (int j = 0; j < labels.topK(); j++) {
        pi.add(labels.tokenIds()[p][j]);
        pl.add(labels.logProbs()[p][j]);
      }
    }
    return root;
  }
}
