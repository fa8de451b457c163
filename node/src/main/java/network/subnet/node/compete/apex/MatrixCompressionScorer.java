package network.subnet.node.compete.apex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import network.subnet.node.codec.Activations;
import network.subnet.node.codec.ApexScore;
import network.subnet.node.codec.CodecException;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.DecodedTensor;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.codec.Similarity;
import network.subnet.node.codec.TensorFiles;
import network.subnet.node.compete.ScoreCard;
import network.subnet.node.compete.Scorer;
import network.subnet.node.compete.ScoringException;
import network.subnet.node.tensor.DenseTensor;

/**
 * Apex matrix compression. A submission is a codec configuration, JSON {@code {"codec": "quant/2", "similarity":
 * 0.995}}, naming a codec of the shared {@link CodecRegistry} and the similarity it encodes at (default: the gate).
 * The scorer runs it over every {@code .npy} / {@code .safetensors} matrix of the dataset, timing encode plus decode
 * itself, and recomputes the similarity from the decoded values rather than trusting the codec. Each matrix scores
 * {@code (30 - seconds) + 1000 * similarity + 1e6 * ratio}; a matrix below the similarity gate fails the whole
 * submission. The raw score is the mean over matrices; the sigmoid-normalised score is reported beside it.
 */
public final class MatrixCompressionScorer implements Scorer {

  public static final String NAME = "matrix-compression";
  public static final double DEFAULT_GATE = 0.99;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CodecRegistry registry;
  private final double gate;
  private final LongSupplier nanoClock;

  public MatrixCompressionScorer() {
    this(CodecRegistry.standard(), DEFAULT_GATE, System::nanoTime);
  }

  /** With a given registry, similarity gate and clock (tests pass a clock that advances by known steps). */
  public MatrixCompressionScorer(CodecRegistry registry, double gate, LongSupplier nanoClock) {
    if (!(gate > 0 && gate <= 1)) {
      throw new IllegalArgumentException("similarity gate must be in (0, 1], got " + gate);
    }
    this.registry = registry;
    this.gate = gate;
    this.nanoClock = nanoClock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  /** A parsed codec configuration. */
  record Config(String codec, double similarity) {}

  Config parse(byte[] submission) {
    JsonNode node;
    try {
      node = JSON.readTree(submission);
    } catch (IOException e) {
      throw new ScoringException("the codec configuration is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (node == null || !node.isObject() || !node.path("codec").isTextual()) {
      throw new ScoringException("the codec configuration must be a JSON object with a \"codec\" name");
    }
    String codec = node.get("codec").asText();
    if (registry.byName(codec).isEmpty()) {
      throw new ScoringException("unknown codec " + codec + " (known: "
          + registry.codecs().stream().map(c -> c.key()).toList() + ")");
    }
    double similarity = gate;
    if (node.has("similarity")) {
      if (!node.get("similarity").isNumber()) {
        throw new ScoringException("\"similarity\" must be a number");
      }
      similarity = node.get("similarity").asDouble();
      if (!(similarity >= gate && similarity <= 1)) {
        throw new ScoringException("\"similarity\" must be in [" + gate + ", 1] (the gate), got " + similarity);
      }
    }
    return new Config(codec, similarity);
  }

  @Override
  public ScoreCard score(byte[] submission, Path dataset) {
    Config config = parse(submission);
    List<Path> matrices = matrices(dataset);
    double rawSum = 0;
    double secondsSum = 0;
    double ratioSum = 0;
    double minSimilarity = 1;
    for (Path file : matrices) {
      DenseTensor tensor;
      Activations original;
      try {
        tensor = TensorFiles.read(file, null, true, CodecRegistry.DEFAULT_MAX_ELEMENTS);
        original = registry.check(tensor);
      } catch (IOException | CodecException e) {
        throw new IllegalStateException("competition matrix " + file + " cannot be read: " + e.getMessage(), e);
      }
      long start = nanoClock.getAsLong();
      DecodedTensor decoded;
      EncodedBlob blob;
      try {
        blob = registry.encode(tensor, config.codec(), config.similarity());
        decoded = registry.decode(blob.blob(), original.shape());
      } catch (CodecException e) {
        throw new ScoringException("codec " + config.codec() + " fails on " + file.getFileName() + ": " + e.getMessage());
      }
      double seconds = (nanoClock.getAsLong() - start) / 1e9;
      double similarity = Similarity.apex(original.values(), decoded.values());
      if (similarity < gate) {
        throw new ScoringException("similarity %.6f on %s is below the gate %s"
            .formatted(similarity, file.getFileName(), gate));
      }
      double ratio = (double) original.originalBytes() / blob.blob().length;
      rawSum += ApexScore.raw(seconds, similarity, ratio);
      secondsSum += seconds;
      ratioSum += ratio;
      minSimilarity = Math.min(minSimilarity, similarity);
    }
    int n = matrices.size();
    double raw = rawSum / n;
    Map<String, Double> details = new LinkedHashMap<>();
    details.put("matrices", (double) n);
    details.put("meanTaskSeconds", secondsSum / n);
    details.put("minSimilarity", minSimilarity);
    details.put("meanRatio", ratioSum / n);
    details.put("normalized", ApexScore.normalized(raw));
    return new ScoreCard(raw, details);
  }

  private static List<Path> matrices(Path dataset) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dataset)) {
      try (Stream<Path> walk = Files.walk(dataset)) {
        walk.filter(Files::isRegularFile).filter(MatrixCompressionScorer::isMatrix).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot list competition matrices in " + dataset + ": " + e.getMessage(), e);
      }
    } else if (Files.isRegularFile(dataset) && isMatrix(dataset)) {
      files.add(dataset);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no .npy or .safetensors matrices at " + dataset);
    }
    return files;
  }

  private static boolean isMatrix(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".npy") || name.endsWith(".safetensors");
  }
}
