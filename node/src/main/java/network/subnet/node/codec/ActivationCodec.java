package network.subnet.node.codec;

/**
 * One named, versioned codec of the registry. Codecs write only their payload; {@link CodecRegistry} frames it with a
 * {@link BlobHeader}, so any blob says which codec, dtype and shape it holds.
 */
public abstract class ActivationCodec {

  /** A payload and the Apex similarity of its reconstruction to the input. */
  record Payload(byte[] bytes, double similarity) {}

  ActivationCodec() {}

  /** Short name, e.g. {@code "quant"}. */
  public abstract String name();

  /** The id byte written in blobs; fixed forever once released. */
  public abstract int id();

  public abstract int version();

  /** {@code name/version}, the form {@code CompressedOutput.codec} carries. */
  public final String key() {
    return name() + "/" + version();
  }

  /** True if decoding restores the input bit for bit. */
  public abstract boolean lossless();

  /**
   * Encodes {@code a} so that the Apex similarity of its reconstruction is at least {@code floor}; returns null where
   * this codec cannot meet the floor. Lossless codecs meet every floor.
   */
  abstract Payload encode(Activations a, double floor);

  /** Decodes a payload to {@code header.elementCount()} fp32 values. */
  abstract float[] decode(BlobHeader header, ByteReader payload);

  /**
   * Whether {@link #decode} refuses every blob that would decode to a non-finite value, so the registry need not look
   * at the values again.
   */
  boolean decodesOnlyFinite() {
    return false;
  }

  /** Refuses values holding a NaN or an infinity. */
  static void requireFinite(float[] values) {
    // A max of magnitudes (NaN wins) vectorises; the index is looked for only when something is not finite.
    float largest = 0;
    for (float v : values) {
      largest = Math.max(largest, Math.abs(v));
    }
    if (!(largest <= Float.MAX_VALUE)) {
      for (int i = 0; i < values.length; i++) {
        if (!Float.isFinite(values[i])) {
          throw new CodecException("corrupt blob: decoded a non-finite value at flat index " + i);
        }
      }
    }
  }

  @Override
  public String toString() {
    return key();
  }
}
