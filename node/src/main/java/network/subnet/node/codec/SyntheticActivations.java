package network.subnet.node.codec;

import java.util.SplittableRandom;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;

/**
 * Activation-like matrices for tests and benchmarks, [rows (tokens), cols (channels)], seeded: plain Gaussian;
 * heavy-tailed (Student t, 3 degrees of freedom); Gaussian with a few outlier channels (about 1% of channels 20 to 60
 * times larger, as in transformer residual streams); and post-ReLU (about half exact zeros).
 */
public final class SyntheticActivations {

  /** The kinds of data generated. */
  public enum Kind {
    GAUSSIAN("gaussian"),
    HEAVY_TAILED("heavy-tailed"),
    OUTLIER_CHANNELS("outlier-channels"),
    RELU("relu");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private SyntheticActivations() {}

  public static float[] values(Kind kind, int rows, int cols, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] scale = new float[cols];
    for (int c = 0; c < cols; c++) {
      scale[c] = kind == Kind.OUTLIER_CHANNELS && rnd.nextInt(100) == 0 ? (float) (20 + 40 * rnd.nextDouble()) : 1f;
    }
    float[] v = new float[Math.multiplyExact(rows, cols)];
    for (int i = 0; i < v.length; i++) {
      double x = gaussian(rnd);
      v[i] =
          switch (kind) {
            case GAUSSIAN -> (float) x;
            case HEAVY_TAILED -> {
              double chi = 0;
              for (int k = 0; k < 3; k++) {
                double g = gaussian(rnd);
                chi += g * g;
              }
              yield (float) (x / Math.sqrt(chi / 3));
            }
            case OUTLIER_CHANNELS -> (float) (x * scale[i % cols]);
            case RELU -> (float) Math.max(0, x);
          };
    }
    return v;
  }

  /** The matrix as a tensor of {@code dtype} (rounded to nearest even). */
  public static DenseTensor tensor(Kind kind, int rows, int cols, DType dtype, long seed) {
    return new DenseTensor(dtype, new long[] {rows, cols}, Activations.toBytes(dtype, values(kind, rows, cols, seed)));
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller keeps this independent of java.util.Random's sequence.
    double u = 1 - rnd.nextDouble();
    double w = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  }
}
