package network.subnet.node.labels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import network.subnet.node.api.WorkResult.PackedSoftLabels;

/**
 * Packs soft labels for the wire. Every packed blob starts with a header (magic, format, positions, k) so a blob is
 * self-describing; {@link #decode} checks it against the declared positions and k and refuses anything malformed.
 *
 * <p>Format 1 (RAW): int32 token ids and float32 log-probs, row-major. Exact, 8 bytes per entry.
 */
public final class SoftLabelCodec {

  public static final int FORMAT_RAW = 1;

  private static final int MAGIC = 0x534c4231; // "SLB1"
  private static final int HEADER_BYTES = 16;

  private SoftLabelCodec() {}

  public static PackedSoftLabels encode(SoftLabels labels) {
    int positions = labels.positions();
    int k = labels.topK();
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + positions * k * 8).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC).putInt(FORMAT_RAW).putInt(positions).putInt(k);
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < k; j++) {
        out.putInt(labels.tokenIds()[p][j]);
      }
      for (int j = 0; j < k; j++) {
        out.putFloat(labels.logProbs()[p][j]);
      }
    }
    return new PackedSoftLabels(positions, k, FORMAT_RAW, out.array());
  }

  /** Unpacks and validates; throws {@link IllegalArgumentException} naming the problem. */
  public static SoftLabels decode(PackedSoftLabels packed) {
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
    if (format != FORMAT_RAW) {
      throw new IllegalArgumentException("unknown soft label format " + format);
    }
    if (positions < 0 || k <= 0 || (long) positions * k * 8 != bytes.length - HEADER_BYTES) {
      throw new IllegalArgumentException(
          "soft labels of %d positions x k %d need %d bytes of body, got %d"
              .formatted(positions, k, (long) positions * k * 8, bytes.length - HEADER_BYTES));
    }
    int[][] ids = new int[positions][k];
    float[][] logProbs = new float[positions][k];
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < k; j++) {
        ids[p][j] = in.getInt();
      }
      for (int j = 0; j < k; j++) {
        float v = in.getFloat();
        if (!(v <= 0f)) {
          throw new IllegalArgumentException("soft label log-prob at position %d rank %d is %s, not <= 0".formatted(p, j, v));
        }
        logProbs[p][j] = v;
      }
    }
    return new SoftLabels(ids, logProbs);
  }
}
