package network.subnet.node.compete;

/**
 * When a challenger takes the lead: its raw score must beat the current top score (or the competition's score to
 * beat, while nobody leads) by at least a relative margin, 1% by default as in Apex. The margin is taken on the
 * magnitude of the top score, so the rule reads the same for scores where lower wins.
 */
public record ImprovementRule(double margin) {

  public static final double DEFAULT_MARGIN = 0.01;

  public ImprovementRule {
    if (!(margin >= 0 && margin < 1)) {
      throw new IllegalArgumentException("improvement margin must be in [0, 1), got " + margin);
    }
  }

  public static ImprovementRule standard() {
    return new ImprovementRule(DEFAULT_MARGIN);
  }

  /** The score a challenger must reach (or pass) to take the lead from {@code top}. */
  public double threshold(double top, boolean higherIsBetter) {
    double step = margin * Math.abs(top);
    return higherIsBetter ? top + step : top - step;
  }

  /** True if {@code challenger} beats {@code top} by the margin. */
  public boolean beats(double challenger, double top, boolean higherIsBetter) {
    double threshold = threshold(top, higherIsBetter);
    return higherIsBetter ? challenger >= threshold && challenger > top : challenger <= threshold && challenger < top;
  }
}
