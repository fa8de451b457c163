package network.subnet.node.labels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import network.subnet.node.api.WorkResult.PackedSoftLabels;

/**
 * Packs soft labels for the wire. Every packed blob starts with a 16-byte little-endian header (magic, format,
 * positions, k) so a blob is self-describing; {@link #decode} checks it against the declared positions and k, checks
 * declared sizes against {@link #MAX_POSITIONS}, {@link #MAX_TOP_K} and {@link #MAX_ENTRIES} before allocating, and
 * refuses anything malformed with an {@link IllegalArgumentException}.
 *
 * <p>Format 1 (RAW): int32 token ids and float32 log-probs, row-major. Exact, 8 bytes per entry.
 *
 * <p>Format 2 (COMPACT, the default): token ids exact, log-probs within 2^-10 nat (under 1e-3) of the input, entropy
 * coded; see {@code CompactLabelFormat}. Log-probs below -16384 nats are clamped to -16384 (such probabilities are zero
 * in any float arithmetic). Encoding is deterministic, so the packed bytes can be signed.
 *
 * <p>Size versus the design target of 1.5 bytes per entry (k=64, 32,768-token vocabulary, error <= 1e-3 nat), as
 * measured by {@code subnet bench labels}: about 2.17 bytes on synthetic Zipf-distributed candidates that share
 * 30-50% with the previous position, 2.76 bytes on uniformly random ids, against 8 for RAW. The target is below what
 * such data carries: at a 2e-3 nat step the log-prob gaps alone hold about 6.7 bits per entry, and the ids at least
 * about 9.3 bits (hit flag, index among shared candidates, Zipf entropy of new ones), about 2.0 bytes together.
 * Reaching 1.5 bytes needs ids that are more predictable than that (stronger reuse in real text) or a looser log-prob
 * tolerance (each doubling of the step saves one bit per entry).
 *
 * <p>Both formats require, at encode, token ids in [0, {@link #MAX_VOCAB}) and finite log-probs {@code <= 0} sorted
 * best first within each position.
 */
public final class SoftLabelCodec {

  public static final int FORMAT_RAW = 1;
  public static final int FORMAT_COMPACT = 2;

  public static final int MAX_POSITIONS = 1 << 20;
  public static final int MAX_TOP_K = 1024;
  public static final long MAX_ENTRIES = 64L << 20;
  public static final int MAX_VOCAB = 1 << 24;

  private static final int MAGIC = 0x534c4231; // "SLB1"
  private static final int HEADER_BYTES = 16;

  private SoftLabelCodec() {}

  /** Packs in the compact format. */
  public static PackedSoftLabels encode(SoftLabels labels) {
    return encode(labels, FORMAT_COMPACT);
  }

  /** Packs in {@code format} ({@link #FORMAT_RAW} or {@link #FORMAT_COMPACT}). */
  public static PackedSoftLabels encode(SoftLabels labels, int format) {
    int positions = labels.positions();
    int k = labels.topK();
    checkSize(positions, k);
    validate(labels);
    byte[] header =
        ByteBuffer.allocate(HEADER_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(MAGIC)
            .putInt(format)
            .putInt(positions)
            .putInt(k)
            .array();
    byte[] packed =
        switch (format) {
          case FORMAT_RAW -> encodeRaw(labels, header);
          case FORMAT_COMPACT ->
              CompactLabelFormat.encode(labels.tokenIds(), labels.logProbs(), positions, k, header);
          default -> throw new IllegalArgumentException("unknown soft label format " + format);
        };
    return new PackedSoftLabels(positions, k, format, packed);
  }

  private static byte[] encodeRaw(SoftLabels labels, byte[] header) {
    int positions = labels.positions();
    int k = labels.topK();
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + positions * k * 8).order(ByteOrder.LITTLE_ENDIAN);
    out.put(header);
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < k; j++) {
        out.putInt(labels.tokenIds()[p][j]);
      }
      for (int j = 0; j < k; j++) {
        out.putFloat(labels.logProbs()[p][j]);
      }
    }
    return out.array();
  }

  private static void checkSize(int positions, int k) {
    if (positions < 0 || positions > MAX_POSITIONS) {
      throw new IllegalArgumentException(
          "soft labels have %d positions; the limit is %d".formatted(positions, MAX_POSITIONS));
    }
    if (k < 0 || k > MAX_TOP_K) {
      throw new IllegalArgumentException("soft labels have k %d; the limit is %d".formatted(k, MAX_TOP_K));
    }
    if ((long) positions * k > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "soft labels have %d x %d entries; the limit is %d".formatted(positions, k, MAX_ENTRIES));
    }
  }

  private static void validate(SoftLabels labels) {
    for (int p = 0; p < labels.positions(); p++) {
      int[] ids = labels.tokenIds()[p];
      float[] lps = labels.logProbs()[p];
      for (int j = 0; j < ids.length; j++) {
        if (ids[j] < 0 || ids[j] >= MAX_VOCAB) {
          throw new IllegalArgumentException(
              "soft label token id %d at position %d rank %d is outside [0, %d)".formatted(ids[j], p, j, MAX_VOCAB));
        }
        float v = lps[j];
        if (!(v <= 0f) || Float.isInfinite(v)) {
          throw new IllegalArgumentException(
              "soft label log-prob at position %d rank %d is %s, not finite and <= 0".formatted(p, j, v));
        }
        if (j > 0 && v > lps[j - 1]) {
          throw new IllegalArgumentException(
              "soft label log-probs at position %d are not sorted best first: rank %d (%s) > rank %d (%s)"
                  .formatted(p, j, v, j - 1, lps[j - 1]));
        }
      }
    }
  }

  /** Unpacks and validates; throws {@link IllegalArgumentException} naming the problem. */
  public static SoftLabels decode(PackedSoftLabels packed) {
    return decode(packed, MAX_ENTRIES);
  }

  /**
   * As {@link #decode(PackedSoftLabels)}, refusing before any decoding a blob that declares more than {@code
   * maxEntries} (position, rank) entries. The compact format can expand a few hundred entries per body byte, so a
   * receiver that knows how many entries to expect (positions x k of its task) passes that, and a tiny forged blob
   * cannot make it allocate up to {@link #MAX_ENTRIES}.
   */
  public static SoftLabels decode(PackedSoftLabels packed, long maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maximum soft label entries must be >= 0, got " + maxEntries);
    }
    byte[] bytes = packed.packed();
    if (bytes == null || bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException("soft labels are truncated: no header");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt() != MAGIC) {
      throw new IllegalArgumentException("soft labels do not start with the expected magic");
    }
    int format = in.getInt();
    int positions = in.getInt();
    int k = in.getInt();
    if (format != packed.format() || positions != packed.positions() || k != packed.topK()) {
      throw new IllegalArgumentException(
          "soft label header (format %d, %d positions, k %d) disagrees with the message (format %d, %d positions, k %d)"
              .formatted(format, positions, k, packed.format(), packed.positions(), packed.topK()));
    }
    checkSize(positions, k);
    if ((long) positions * k > maxEntries) {
      throw new IllegalArgumentException(
          "soft labels declare %d x %d entries; at most %d are expected".formatted(positions, k, maxEntries));
    }
    return switch (format) {
      case FORMAT_RAW -> decodeRaw(in, bytes.length, positions, k);
      case FORMAT_COMPACT -> CompactLabelFormat.decode(bytes, HEADER_BYTES, positions, k);
      default -> throw new IllegalArgumentException("unknown soft label format " + format);
    };
  }

  private static SoftLabels decodeRaw(ByteBuffer in, int length, int positions, int k) {
    if ((long) positions * k * 8 != length - HEADER_BYTES) {
      throw new IllegalArgumentException(
          "soft labels of %d positions x k %d need %d bytes of body, got %d"
              .formatted(positions, k, (long) positions * k * 8, length - HEADER_BYTES));
    }
    int[][] ids = new int[positions][k];
    float[][] logProbs = new float[positions][k];
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < k; j++) {
        ids[p][j] = in.getInt();
      }
      for (int j = 0; j < k; j++) {
        float v = in.getFloat();
        // The same rule as encode: -Infinity would turn every later comparison or mean into NaN.
        if (!(v <= 0f) || Float.isInfinite(v)) {
          throw new IllegalArgumentException(
              "soft label log-prob at position %d rank %d is %s, not finite and <= 0".formatted(p, j, v));
        }
        logProbs[p][j] = v;
      }
    }
    return new SoftLabels(ids, logProbs);
  }
}
