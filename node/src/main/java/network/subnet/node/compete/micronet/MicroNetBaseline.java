package network.subnet.node.compete.micronet;

import java.util.Arrays;
import java.util.Locale;
import network.subnet.node.compete.ScoringException;

/** The final MicroNet rules' baselines a score is normalised by: parameters and math operations per example. */
public enum MicroNetBaseline {
  /** MobileNetV2 width 1.4. */
  IMAGENET(6.9e6, 1170e6),
  /** WideResNet-28-10. */
  CIFAR100(36.5e6, 10.49e9),
  /** The LSTM language model. */
  WIKITEXT103(159e6, 318e6);

  private final double parameters;
  private final double operations;

  MicroNetBaseline(double parameters, double operations) {
    this.parameters = parameters;
    this.operations = operations;
  }

  public double parameters() {
    return parameters;
  }

  public double operations() {
    return operations;
  }

  /** {@code parameterStorage / baseline parameters + math ops / baseline ops}; lower is better. */
  public double score(MicroNetCount c) {
    return c.parameterStorage() / parameters + c.mathOps() / operations;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** By {@code imagenet}, {@code cifar100} or {@code wikitext103}. */
  public static MicroNetBaseline of(String name) {
    for (MicroNetBaseline b : values()) {
      if (b.key().equals(name.toLowerCase(Locale.ROOT))) {
        return b;
      }
    }
    throw new ScoringException("unknown MicroNet baseline '" + name + "' (known: "
        + Arrays.stream(values()).map(MicroNetBaseline::key).toList() + ")");
  }
}
