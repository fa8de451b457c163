package network.subnet.node.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import org.junit.jupiter.api.Test;

/** Whatever arrives on the wire, decoding either succeeds or throws IllegalArgumentException, quickly. */
class SoftLabelCodecCorruptionTest {

  private static PackedSoftLabels sample(int format, long seed) {
    return SoftLabelCodec.encode(SyntheticSoftLabels.realistic(6, 16, 32_768, false, seed), format);
  }

  private static PackedSoftLabels withBytes(PackedSoftLabels packed, byte[] bytes) {
    return new PackedSoftLabels(packed.positions(), packed.topK(), packed.format(), bytes);
  }

  /** Decodes, allowing only success or IllegalArgumentException. */
  private static boolean decodesOrRejects(PackedSoftLabels packed) {
    try {
      SoftLabelCodec.decode(packed);
      return true;
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return false;
    } catch (RuntimeException | Error other) {
      fail("decode threw %s instead of IllegalArgumentException for %s", other, Arrays.toString(packed.packed()));
      return false;
    }
  }

  @Test
  void everyTruncationIsRejected() {
    for (int format : new int[] {SoftLabelCodec.FORMAT_COMPACT, SoftLabelCodec.FORMAT_RAW}) {
      for (long seed = 0; seed < 3; seed++) {
        PackedSoftLabels packed = sample(format, seed);
        byte[] bytes = packed.packed();
        for (int length = 0; length < bytes.length; length++) {
          PackedSoftLabels cut = withBytes(packed, Arrays.copyOf(bytes, length));
          assertThatThrownBy(() -> SoftLabelCodec.decode(cut))
              .as("format %d cut to %d of %d bytes", format, length, bytes.length)
              .isInstanceOf(IllegalArgumentException.class);
        }
      }
    }
  }

  @Test
  void trailingBytesAreRejected() {
    for (int format : new int[] {SoftLabelCodec.FORMAT_COMPACT, SoftLabelCodec.FORMAT_RAW}) {
      PackedSoftLabels packed = sample(format, 1);
      byte[] longer = Arrays.copyOf(packed.packed(), packed.packed().length + 1);
      assertThatThrownBy(() -> SoftLabelCodec.decode(withBytes(packed, longer)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void randomByteFlipsDecodeOrThrowIllegalArgument() {
    SplittableRandom rnd = new SplittableRandom(11);
    int rejected = 0;
    int trials = 0;
    for (long seed = 0; seed < 20; seed++) {
      PackedSoftLabels packed = sample(SoftLabelCodec.FORMAT_COMPACT, seed);
      for (int i = 0; i < 200; i++) {
        byte[] bytes = packed.packed().clone();
        int flips = 1 + rnd.nextInt(3);
        for (int f = 0; f < flips; f++) {
          bytes[rnd.nextInt(bytes.length)] ^= (byte) (1 + rnd.nextInt(255));
        }
        trials++;
        if (!decodesOrRejects(withBytes(packed, bytes))) {
          rejected++;
        }
      }
    }
    // Most damage is caught (exact length accounting, range checks); the rest decodes to some other labels.
    assertThat(rejected).isGreaterThan(trials / 2);
  }

  @Test
  void byteFlipsInALargerBlobDecodeOrThrowIllegalArgument() {
    SplittableRandom rnd = new SplittableRandom(12);
    PackedSoftLabels packed =
        SoftLabelCodec.encode(SyntheticSoftLabels.realistic(64, 64, 32_768, false, 8), SoftLabelCodec.FORMAT_COMPACT);
    for (int i = 0; i < 300; i++) {
      byte[] bytes = packed.packed().clone();
      bytes[16 + rnd.nextInt(bytes.length - 16)] ^= (byte) (1 + rnd.nextInt(255));
      decodesOrRejects(withBytes(packed, bytes));
    }
  }

  @Test
  void garbageBodiesBehindAValidHeaderDecodeOrThrowIllegalArgument() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 3000; i++) {
      int positions = rnd.nextInt(4);
      int k = 1 + rnd.nextInt(8);
      ByteBuffer buf = ByteBuffer.allocate(16 + 5 + rnd.nextInt(40)).order(ByteOrder.LITTLE_ENDIAN);
      buf.putInt(0x534c4231).putInt(SoftLabelCodec.FORMAT_COMPACT).putInt(positions).putInt(k);
      buf.put((byte) CompactLabelFormat.STEP_LOG2).putInt(1 + rnd.nextInt(i % 2 == 0 ? 40 : Integer.MAX_VALUE - 1));
      byte[] bytes = buf.array();
      for (int b = 21; b < bytes.length; b++) {
        bytes[b] = (byte) rnd.nextInt(256);
      }
      if (rnd.nextBoolean() && bytes.length > 21) {
        bytes[21] = 0; // the coder's start byte, to get past the first check more often
      }
      decodesOrRejects(new PackedSoftLabels(positions, k, SoftLabelCodec.FORMAT_COMPACT, bytes));
    }
  }

  @Test
  void declaredSizesAreCheckedBeforeAllocating() {
    assertThatThrownBy(() -> SoftLabelCodec.decode(header(SoftLabelCodec.MAX_POSITIONS + 1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positions");
    assertThatThrownBy(() -> SoftLabelCodec.decode(header(1, SoftLabelCodec.MAX_TOP_K + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k 1025");
    assertThatThrownBy(() -> SoftLabelCodec.decode(header(SoftLabelCodec.MAX_POSITIONS, SoftLabelCodec.MAX_TOP_K)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entries");
    assertThatThrownBy(() -> SoftLabelCodec.decode(header(-1, 4))).isInstanceOf(IllegalArgumentException.class);
    // Within the limits but with almost no body: fails on truncation long before allocating 64M entries.
    assertThatThrownBy(() -> SoftLabelCodec.decode(header(SoftLabelCodec.MAX_POSITIONS, 64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void headerMismatchesAreRejected() {
    PackedSoftLabels packed = sample(SoftLabelCodec.FORMAT_COMPACT, 2);
    assertThatThrownBy(() -> SoftLabelCodec.decode(new PackedSoftLabels(5, 16, 2, packed.packed())))
        .hasMessageContaining("disagrees");
    byte[] badMagic = packed.packed().clone();
    badMagic[0] ^= 1;
    assertThatThrownBy(() -> SoftLabelCodec.decode(withBytes(packed, badMagic))).hasMessageContaining("magic");
    byte[] badStep = packed.packed().clone();
    badStep[16] = 8;
    assertThatThrownBy(() -> SoftLabelCodec.decode(withBytes(packed, badStep))).hasMessageContaining("step");
    assertThatThrownBy(() -> SoftLabelCodec.decode(withBytes(packed, null))).hasMessageContaining("no header");
  }

  private static PackedSoftLabels header(int positions, int k) {
    byte[] bytes =
        ByteBuffer.allocate(16 + 5 + 8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(0x534c4231)
            .putInt(SoftLabelCodec.FORMAT_COMPACT)
            .putInt(positions)
            .putInt(k)
            .put((byte) CompactLabelFormat.STEP_LOG2)
            .putInt(32_768)
            .array();
    return new PackedSoftLabels(positions, k, SoftLabelCodec.FORMAT_COMPACT, bytes);
  }
}
