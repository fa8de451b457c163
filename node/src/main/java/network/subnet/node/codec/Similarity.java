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
   *
   * <p>Each sum is accumulated in two lanes, even and odd flat indices, added at the end: the lossy encoders sum in
   * exactly this order while they quantise, so the similarity they report is bit for bit the one computed here.
   */
  public static Parts parts(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new CodecException("shape mismatch: reference has " + a.length + " elements, reconstruction " + b.length);
    }
    double dot0 = 0;
    double aa0 = 0;
    double bb0 = 0;
    double dd0 = 0;
    double dot1 = 0;
    double aa1 = 0;
    double bb1 = 0;
    double dd1 = 0;
    int n = a.length;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      double x0 = a[i];
      double y0 = b[i];
      double d0 = x0 - y0;
      dot0 += x0 * y0;
      aa0 += x0 * x0;
      bb0 += y0 * y0;
      dd0 += d0 * d0;
      double x1 = a[i + 1];
      double y1 = b[i + 1];
      double d1 = x1 - y1;
      dot1 += x1 * y1;
      aa1 += x1 * x1;
      bb1 += y1 * y1;
      dd1 += d1 * d1;
    }
    if (i < n) {
      double x0 = a[i];
      double y0 = b[i];
      double d0 = x0 - y0;
      dot0 += x0 * y0;
      aa0 += x0 * x0;
      bb0 += y0 * y0;
      dd0 += d0 * d0;
    }
    return fromSums(dot0 + dot1, aa0 + aa1, bb0 + bb1, dd0 + dd1);
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
