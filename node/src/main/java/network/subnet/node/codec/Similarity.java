package network.subnet.node.codec;

/**
 * Apex's similarity between a reference {@code a} and a reconstruction {@code b}, in float64: {@code cosine(a, b)
 * * (1 - ||a - b|| / ||a||)}.
 */
public final class Similarity {

  /** The two factors and their product. */
  public record Parts(double cosine, double normSimilarity, double similarity) {}

  private Similarity() {}

  /** The Apex similarity of {@code b} to the reference {@code a}. */
  public static double apex(float[] a, float[] b) {
    return parts(a, b).similarity();
  }

  /**
   * Cosine, norm similarity and their product. A reference of zero norm has no defined similarity and is refused; a
   * zero reconstruction of a non-zero reference has cosine 0.
   */
  public static Parts parts(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new CodecException("shape mismatch: reference has " + a.length + " elements, reconstruction " + b.length);
    }
    double dot = 0;
    double aa = 0;
    double bb = 0;
    double dd = 0;
    for (int i = 0; i < a.length; i++) {
      double x = a[i];
      double y = b[i];
      double d = x - y;
      dot += x * y;
      aa += x * x;
      bb += y * y;
      dd += d * d;
    }
    return fromSums(dot, aa, bb, dd);
  }

  static Parts fromSums(double dot, double aa, double bb, double dd) {
    if (!(aa > 0) || !Double.isFinite(aa)) {
      throw new CodecException("the reference has zero (or non-finite) norm: the Apex similarity is undefined");
    }
    if (!Double.isFinite(bb) || !Double.isFinite(dd)) {
      throw new CodecException("the reconstruction holds non-finite values");
    }
    double cosine = bb > 0 ? dot / (Math.sqrt(aa) * Math.sqrt(bb)) : 0;
    double norm = 1 - Math.sqrt(dd) / Math.sqrt(aa);
    return new Parts(cosine, norm, cosine * norm);
  }
}
