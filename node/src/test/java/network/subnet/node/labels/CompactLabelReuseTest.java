package network.subnet.node.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import org.junit.jupiter.api.Test;

/** The compact format's models are pooled and reset lazily; none of that may change a byte or leak between payloads. */
class CompactLabelReuseTest {

  private static final int[][] SHAPES = {{16, 4, 32768}, {37, 64, 32768}, {5, 1, 3}, {64, 16, 1 << 24}, {1, 128, 100},
      {200, 8, 50000}};

  /** SHA-256 of {@link #pinnedPayloads()} as the format encoded them before its models were pooled. */
  private static final String PINNED = "51d2795e29c857a83be215224e63a8a47907cffacdf935362a461b1ba935d538";

  private static SoftLabels labels(long seed, int positions, int k, int vocab) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[][] ids = new int[positions][k];
    float[][] lps = new float[positions][k];
    for (int p = 0; p < positions; p++) {
      float v = -(float) (rnd.nextDouble() * 3);
      for (int j = 0; j < k; j++) {
        ids[p][j] = p > 0 && rnd.nextInt(3) == 0 ? ids[p - 1][rnd.nextInt(k)] : rnd.nextInt(vocab);
        v -= (float) (rnd.nextDouble() * (rnd.nextInt(8) == 0 ? 20 : 0.5));
        lps[p][j] = v;
      }
    }
    return new SoftLabels(ids, lps);
  }

  private static List<SoftLabels> pinnedPayloads() {
    List<SoftLabels> out = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int s = 0; s < SHAPES.length; s++) {
        out.add(labels(1000L * round + s, SHAPES[s][0], SHAPES[s][1], SHAPES[s][2]));
      }
    }
    return out;
  }

  private static String sha256(List<PackedSoftLabels> packed) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    packed.forEach(p -> sha.update(p.packed()));
    return HexFormat.of().formatHex(sha.digest());
  }

  @Test
  void encodedBytesMatchTheFormatAsPinned() throws Exception {
    List<SoftLabels> payloads = pinnedPayloads();
    // Several passes: later ones run on reused models, across more resets than the generation stamps hold.
    for (int pass = 0; pass < 2 * BitModels.GENERATIONS / payloads.size() + 2; pass++) {
      assertThat(sha256(payloads.stream().map(SoftLabelCodec::encode).toList())).as("pass %d", pass)
          .isEqualTo(PINNED);
    }
  }

  @Test
  void decodesStayExactAcrossManyReusesAndShapes() {
    List<SoftLabels> payloads = pinnedPayloads();
    List<PackedSoftLabels> packed = payloads.stream().map(SoftLabelCodec::encode).toList();
    for (int round = 0; round < 3 * BitModels.GENERATIONS; round++) {
      int i = round % payloads.size();
      SoftLabels back = SoftLabelCodec.decode(packed.get(i));
      SoftLabelCodecTest.assertClose(payloads.get(i), back);
    }
  }

  @Test
  void concurrentCodersGetTheSameBytes() throws Exception {
    List<SoftLabels> payloads = pinnedPayloads();
    String expected = sha256(payloads.stream().map(SoftLabelCodec::encode).toList());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> runs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        runs.add(pool.submit(() -> {
          List<PackedSoftLabels> packed = new ArrayList<>();
          for (SoftLabels l : payloads) {
            PackedSoftLabels p = SoftLabelCodec.encode(l);
            SoftLabelCodecTest.assertClose(l, SoftLabelCodec.decode(p));
            packed.add(p);
          }
          return sha256(packed);
        }));
      }
      for (Future<String> run : runs) {
        assertThat(run.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void corruptPayloadDoesNotSpoilTheNextDecode() {
    SoftLabels good = labels(7, 40, 16, 32768);
    PackedSoftLabels packed = SoftLabelCodec.encode(good);
    byte[] bad = packed.packed().clone();
    bad[bad.length - 3] ^= 0x5A;
    for (int i = 0; i < 50; i++) {
      try {
        SoftLabelCodec.decode(new PackedSoftLabels(packed.positions(), packed.topK(), packed.format(), bad));
      } catch (IllegalArgumentException expected) {
        // Whether it fails or decodes garbage, the next honest payload must decode exactly.
      }
      SoftLabelCodecTest.assertClose(good, SoftLabelCodec.decode(packed));
    }
  }

  @Test
  void decodeWithAMaximumRefusesLargerDeclaredShapesBeforeDecoding() {
    SoftLabels labels = labels(3, 16, 4, 32768);
    PackedSoftLabels packed = SoftLabelCodec.encode(labels);
    SoftLabelCodecTest.assertClose(labels, SoftLabelCodec.decode(packed, 64));
    assertThatThrownBy(() -> SoftLabelCodec.decode(packed, 63))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 x 4 entries")
        .hasMessageContaining("at most 63");
    assertThatThrownBy(() -> SoftLabelCodec.decode(packed, -1)).isInstanceOf(IllegalArgumentException.class);
    PackedSoftLabels raw = SoftLabelCodec.encode(labels, SoftLabelCodec.FORMAT_RAW);
    assertThatThrownBy(() -> SoftLabelCodec.decode(raw, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 10");
  }

  @Test
  void tinyBodyDeclaringHugeShapeIsRefusedUnderTheCallersMaximum() {
    // A valid compact payload of a quarter million identical entries codes to about a kilobyte; a receiver expecting
    // 64 entries must refuse it without expanding it.
    int positions = 1 << 18;
    PackedSoftLabels packed = SoftLabelCodec.encode(new SoftLabels(new int[positions][1], new float[positions][1]));
    assertThat(packed.packed().length).isLessThan(positions / 100);
    assertThatThrownBy(() -> SoftLabelCodec.decode(packed, 64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64");
  }
}
