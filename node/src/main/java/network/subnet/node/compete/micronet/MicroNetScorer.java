package network.subnet.node.compete.micronet;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import network.subnet.node.compete.ScoreCard;
import network.subnet.node.compete.Scorer;
import network.subnet.node.compete.ScoringException;

/**
 * MicroNet efficiency of a student model submitted as an ONNX file: parameter storage and math operations per
 * example ({@link MicroNetCounter}), each normalised by the task's baseline and summed; lower is better. A
 * competition names its task by the last element of its dataset ({@code imagenet}, {@code cifar100} or
 * {@code wikitext103}); accuracy is the competition's entry condition, checked apart from this score.
 */
public final class MicroNetScorer implements Scorer {

  public static final String NAME = "micronet-efficiency";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }

  @Override
  public ScoreCard score(byte[] submission, Path dataset) {
    MicroNetBaseline baseline;
    try {
      baseline = MicroNetBaseline.of(dataset.getFileName().toString());
    } catch (ScoringException e) {
      throw new IllegalStateException("competition dataset " + dataset + ": " + e.getMessage(), e);
    }
    return card(MicroNetCounter.count(OnnxReader.read(submission)), baseline);
  }

  /** The score and its parts, as the competition stores them and {@code subnet score micronet} prints them. */
  public static ScoreCard card(MicroNetCount c, MicroNetBaseline baseline) {
    Map<String, Double> details = new LinkedHashMap<>();
    details.put("parameters", (double) c.parameters());
    details.put("nonZeroParameters", (double) c.nonZeroParameters());
    details.put("parameterStorage", c.parameterStorage());
    details.put("multiplies", c.multiplies());
    details.put("additions", c.additions());
    details.put("transcendental", c.transcendental());
    details.put("mathOps", c.mathOps());
    details.put("freebie16Bit", c.freebie16Bit() ? 1.0 : 0.0);
    details.put("baselineParameters", baseline.parameters());
    details.put("baselineOps", baseline.operations());
    return new ScoreCard(baseline.score(c), details);
  }
}
