package network.subnet.node.codec;

/**
 * Apex's score of one compression result: {@code raw = (30 - taskSeconds) + 1000 * similarity + 1e6 * ratio} and
 * {@code normalized = 1 / (1 + exp(-0.003 * (raw / 1000 - 2000)))}.
 */
public final class ApexScore {

  private ApexScore() {}

  public static double raw(double taskSeconds, double similarity, double compressionRatio) {
    return (30 - taskSeconds) + 1000 * similarity + 1e6 * compressionRatio;
  }

  public static double normalized(double raw) {
    return 1 / (1 + Math.exp(-0.003 * (raw / 1000 - 2000)));
  }
}
