package network.subnet.node.compete.tpugraphs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import network.subnet.node.codec.NumericArray;
import network.subnet.node.compete.ScoreCard;
import network.subnet.node.compete.Scorer;
import network.subnet.node.compete.ScoringException;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;

/**
 * TpuGraphs runtime prediction. The dataset is a directory of {@code .npz} graphs in the released layout
 * ({@code tile/xla/<split>/<graph>.npz}, {@code layout/<xla|nlp>/<default|random>/<split>/<graph>.npz}; an
 * {@code npz/} level on top is allowed); every graph under it must have a row in the submission (see
 * {@link PredictionCsv}) with id {@code tile:xla:<graph>} or {@code layout:<source>:<search>:<graph>}.
 *
 * <p>A tile graph lists up to 5 configs and scores {@code 2 - min(runtime of those) / min(all runtimes)} on
 * {@code config_runtime} (the measured runtimes; the normalizers only rescale them for training). A layout graph
 * lists a permutation of all its configs, fastest predicted first, and scores Kendall's tau-b between each config's
 * predicted rank and its measured runtime. A collection scores the mean over its graphs; the final score is the mean
 * over collections. Higher is better.
 */
public final class RuntimePredictionScorer implements Scorer {

  public static final String NAME = "runtime-prediction";
  public static final int TILE_TOP_K = 5;

  private static final Set<String> FIELDS =
      Set.of("config_runtime", "config_runtime_normalizers", "config_feat", "node_config_feat");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public ScoreCard score(byte[] submission, Path dataset) {
    Map<String, int[]> predictions = PredictionCsv.parse(submission);
    Map<String, Path> graphs = graphs(dataset);
    for (String id : predictions.keySet()) {
      if (!graphs.containsKey(id)) {
        throw new ScoringException("the submission names graph " + id + ", which is not in the dataset ("
            + graphs.size() + " graphs)");
      }
    }
    List<String> missing = graphs.keySet().stream().filter(id -> !predictions.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      throw new ScoringException("the submission has no row for " + missing.size() + " graph(s) of the dataset: "
          + (missing.size() > 5 ? missing.subList(0, 5) + " ..." : missing));
    }
    Map<String, double[]> byCollection = new TreeMap<>();
    for (Map.Entry<String, Path> g : graphs.entrySet()) {
      String id = g.getKey();
      String collection = id.substring(0, id.lastIndexOf(':'));
      double score = id.startsWith("tile:")
          ? tileScore(id, predictions.get(id), runtimes(g.getValue(), "config_feat"))
          : layoutScore(id, predictions.get(id), runtimes(g.getValue(), "node_config_feat"));
      byCollection.computeIfAbsent(collection, k -> new double[2]);
      byCollection.get(collection)[0] += score;
      byCollection.get(collection)[1]++;
    }
    Map<String, Double> details = new LinkedHashMap<>();
    double total = 0;
    for (Map.Entry<String, double[]> c : byCollection.entrySet()) {
      double mean = c.getValue()[0] / c.getValue()[1];
      details.put(c.getKey(), mean);
      total += mean;
    }
    details.put("graphs", (double) graphs.size());
    return new ScoreCard(total / byCollection.size(), details);
  }

  /** {@code 2 - min(top-k predicted runtimes) / min(all runtimes)}. */
  static double tileScore(String id, int[] top, double[] runtimes) {
    if (top.length > TILE_TOP_K) {
      throw new ScoringException(id + ": a tile row lists at most " + TILE_TOP_K + " configs, got " + top.length);
    }
    checkDistinct(id, top, runtimes.length);
    double best = Double.POSITIVE_INFINITY;
    for (double r : runtimes) {
      best = Math.min(best, r);
    }
    double predicted = Double.POSITIVE_INFINITY;
    for (int i : top) {
      predicted = Math.min(predicted, runtimes[i]);
    }
    return 2 - predicted / best;
  }

  /** Kendall's tau-b between the predicted rank of each config and its measured runtime. */
  static double layoutScore(String id, int[] ranking, double[] runtimes) {
    if (ranking.length != runtimes.length) {
      throw new ScoringException(id + ": a layout row must rank all " + runtimes.length + " configs, got "
          + ranking.length);
    }
    checkDistinct(id, ranking, runtimes.length);
    double[] rank = new double[runtimes.length];
    for (int position = 0; position < ranking.length; position++) {
      rank[ranking[position]] = position;
    }
    double tau = new KendallsCorrelation().correlation(rank, runtimes);
    if (Double.isNaN(tau)) {
      // Every config measured the same: no ranking is better than another.
      return 0;
    }
    return tau;
  }

  private static void checkDistinct(String id, int[] configs, int count) {
    Set<Integer> seen = new HashSet<>();
    for (int i : configs) {
      if (i >= count) {
        throw new ScoringException(id + ": config index " + i + " is out of range (the graph has " + count
            + " configs)");
      }
      if (!seen.add(i)) {
        throw new ScoringException(id + ": config index " + i + " is listed twice");
      }
    }
  }

  private static double[] runtimes(Path file, String configField) {
    Map<String, NumericArray> fields = NpzArchive.read(file, FIELDS);
    NumericArray runtime = fields.get("config_runtime");
    if (runtime == null || runtime.rank() != 1 || runtime.dim(0) < 1) {
      throw new IllegalStateException(file + ": needs a non-empty 1-D config_runtime field");
    }
    NumericArray configs = fields.get(configField);
    if (configs != null && (configs.rank() < 1 || configs.dim(0) != runtime.dim(0))) {
      throw new IllegalStateException(file + ": " + configField + " holds " + (configs.rank() < 1 ? 0 : configs.dim(0))
          + " configs but config_runtime holds " + runtime.dim(0));
    }
    for (double r : runtime.values()) {
      if (!(r > 0) || !Double.isFinite(r)) {
        throw new IllegalStateException(file + ": config_runtime holds a non-positive runtime " + r);
      }
    }
    return runtime.values();
  }

  /** Graph id to file for every {@code .npz} under the dataset. */
  static Map<String, Path> graphs(Path dataset) {
    Path root = Files.isDirectory(dataset.resolve("npz")) ? dataset.resolve("npz") : dataset;
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("TpuGraphs dataset " + dataset + " is not a directory");
    }
    Map<String, Path> out = new TreeMap<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> p.getFileName().toString().endsWith(".npz")).filter(Files::isRegularFile).forEach(files::add);
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      Path rel = root.relativize(file);
      String graph = rel.getFileName().toString();
      graph = graph.substring(0, graph.length() - 4);
      String id;
      if (rel.getNameCount() >= 3 && rel.getName(0).toString().equals("tile")) {
        id = "tile:" + rel.getName(1) + ":" + graph;
      } else if (rel.getNameCount() >= 4 && rel.getName(0).toString().equals("layout")) {
        id = "layout:" + rel.getName(1) + ":" + rel.getName(2) + ":" + graph;
      } else {
        throw new IllegalStateException(file + " is not under tile/<source>/ or layout/<source>/<search>/");
      }
      Path prior = out.put(id, file);
      if (prior != null) {
        throw new IllegalStateException("graph " + id + " appears twice: " + prior + " and " + file);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no .npz graphs under " + root);
    }
    return out;
  }
}
