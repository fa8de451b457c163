package network.subnet.node.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoftLabelCodecTest {

  private static final int[] KS = {1, 2, 16, 64, 128};
  private static final int[] POSITIONS = {0, 1, 37};

  /** Random labels that stress the coder: repeats across positions, ties, big gaps, ids near the top of the range. */
  static SoftLabels randomLabels(int positions, int k, int vocab, SplittableRandom rnd) {
    int[][] ids = new int[positions][k];
    float[][] lps = new float[positions][k];
    for (int p = 0; p < positions; p++) {
      for (int j = 0; j < k; j++) {
        ids[p][j] =
            p > 0 && rnd.nextInt(3) == 0
                ? ids[p - 1][rnd.nextInt(k)]
                : rnd.nextInt(4) == 0 ? vocab - 1 - rnd.nextInt(Math.min(vocab, 8)) : rnd.nextInt(vocab);
      }
      float v = rnd.nextInt(5) == 0 ? 0f : (float) -(rnd.nextDouble() * (rnd.nextBoolean() ? 2 : 40));
      for (int j = 0; j < k; j++) {
        switch (rnd.nextInt(6)) {
          case 0 -> {} // a tie with the rank before
          case 1 -> v -= (float) (rnd.nextDouble() * 1e-3);
          case 2 -> v -= (float) (rnd.nextDouble() * 30);
          default -> v -= (float) (rnd.nextDouble() * 0.3);
        }
        lps[p][j] = v;
      }
    }
    return new SoftLabels(ids, lps);
  }

  static void assertClose(SoftLabels expected, SoftLabels actual) {
    assertThat(actual.positions()).isEqualTo(expected.positions());
    for (int p = 0; p < expected.positions(); p++) {
      assertThat(actual.tokenIds()[p]).as("ids at position %d", p).containsExactly(expected.tokenIds()[p]);
      float[] want = expected.logProbs()[p];
      float[] got = actual.logProbs()[p];
      assertThat(got).hasSameSizeAs(want);
      // Plain loops: per-entry assertions would dominate the run time.
      for (int j = 0; j < want.length; j++) {
        double error = Math.abs(got[j] - Math.max(want[j], CompactLabelFormat.FLOOR));
        if (!(error <= 1e-3) || !(got[j] <= 0f) || (j > 0 && got[j] > got[j - 1])) {
          fail("position %d rank %d: sent %s, got %s (previous %s)", p, j, want[j], got[j], j > 0 ? got[j - 1] : "-");
        }
      }
    }
  }

  @Test
  void compactRoundTripsWithinToleranceOverManySeeds() {
    for (long seed = 0; seed < 25; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int k : KS) {
        for (int positions : POSITIONS) {
          int vocab = rnd.nextBoolean() ? 32_768 : 1 + rnd.nextInt(SoftLabelCodec.MAX_VOCAB);
          SoftLabels labels = randomLabels(positions, k, vocab, rnd);
          PackedSoftLabels packed = SoftLabelCodec.encode(labels);
          assertThat(packed.format()).isEqualTo(SoftLabelCodec.FORMAT_COMPACT);
          assertThat(packed.positions()).isEqualTo(positions);
          SoftLabels back = SoftLabelCodec.decode(packed);
          assertClose(labels, back);
          // Decoded values sit on the grid, so packing them again reproduces the same bytes.
          assertThat(SoftLabelCodec.encode(back).packed()).isEqualTo(packed.packed());
        }
      }
    }
  }

  @Test
  void rawRoundTripsExactly() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int k : KS) {
      for (int positions : POSITIONS) {
        SoftLabels labels = randomLabels(positions, k, 32_768, rnd);
        SoftLabels back = SoftLabelCodec.decode(SoftLabelCodec.encode(labels, SoftLabelCodec.FORMAT_RAW));
        for (int p = 0; p < positions; p++) {
          assertThat(back.tokenIds()[p]).containsExactly(labels.tokenIds()[p]);
          assertThat(back.logProbs()[p]).containsExactly(labels.logProbs()[p]);
        }
      }
    }
  }

  @Test
  void encodingIsDeterministic() {
    SoftLabels labels = SyntheticSoftLabels.realistic(200, 64, 32_768, false, 3);
    byte[] first = SoftLabelCodec.encode(labels).packed();
    for (int i = 0; i < 3; i++) {
      assertThat(SoftLabelCodec.encode(labels).packed()).isEqualTo(first);
    }
    SoftLabels copy = new SoftLabels(deepCopy(labels.tokenIds()), deepCopy(labels.logProbs()));
    assertThat(SoftLabelCodec.encode(copy).packed()).isEqualTo(first);
  }

  @Test
  void repeatedIdsWithinAndAcrossRowsRoundTrip() {
    int[][] ids = {{5, 5, 9, 5}, {5, 5, 5, 9}, {9, 9, 9, 9}, {1, 2, 3, 4}};
    float[][] lps = {{-0.1f, -0.1f, -2f, -3f}, {0f, -1f, -1f, -1f}, {-1f, -2f, -3f, -4f}, {-5f, -5f, -5f, -5f}};
    SoftLabels labels = new SoftLabels(ids, lps);
    assertClose(labels, SoftLabelCodec.decode(SoftLabelCodec.encode(labels)));
  }

  @Test
  void extremeButLegalValuesRoundTrip() {
    int top = SoftLabelCodec.MAX_VOCAB - 1;
    int[][] ids = {{top, 0, top - 1}, {0, top, 1}};
    float[][] lps = {{-0f, -Float.MIN_VALUE, -1e-4f}, {-16383.99f, -16384f, -16384.5f}};
    SoftLabels labels = new SoftLabels(ids, lps);
    assertClose(labels, SoftLabelCodec.decode(SoftLabelCodec.encode(labels)));
  }

  @Test
  void logProbsBelowTheFloorClampToIt() {
    SoftLabels labels = new SoftLabels(new int[][] {{1, 2, 3}}, new float[][] {{-1f, -20_000f, -Float.MAX_VALUE}});
    SoftLabels back = SoftLabelCodec.decode(SoftLabelCodec.encode(labels));
    assertThat(back.logProbs()[0]).containsExactly(-1f, CompactLabelFormat.FLOOR, CompactLabelFormat.FLOOR);
  }

  @ParameterizedTest
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f, Float.MIN_VALUE})
  void rejectsLogProbsThatAreNotFiniteAndNonPositive(float bad) {
    SoftLabels labels = new SoftLabels(new int[][] {{1, 2}}, new float[][] {{-0.5f, bad}});
    for (int format : new int[] {SoftLabelCodec.FORMAT_COMPACT, SoftLabelCodec.FORMAT_RAW}) {
      assertThatThrownBy(() -> SoftLabelCodec.encode(labels, format))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("rank 1");
    }
  }

  @Test
  void rejectsUnsortedLogProbs() {
    SoftLabels labels = new SoftLabels(new int[][] {{1, 2}}, new float[][] {{-2f, -1f}});
    assertThatThrownBy(() -> SoftLabelCodec.encode(labels))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not sorted");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, Integer.MIN_VALUE, SoftLabelCodec.MAX_VOCAB, Integer.MAX_VALUE})
  void rejectsOutOfRangeIds(int bad) {
    SoftLabels labels = new SoftLabels(new int[][] {{1, bad}}, new float[][] {{-1f, -2f}});
    assertThatThrownBy(() -> SoftLabelCodec.encode(labels))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token id");
  }

  @Test
  void rejectsUnknownFormatAndOversizedInputs() {
    SoftLabels small = new SoftLabels(new int[][] {{1}}, new float[][] {{-1f}});
    assertThatThrownBy(() -> SoftLabelCodec.encode(small, 3)).hasMessageContaining("unknown soft label format 3");
    SoftLabels wide = new SoftLabels(new int[][] {new int[1025]}, new float[][] {new float[1025]});
    assertThatThrownBy(() -> SoftLabelCodec.encode(wide)).hasMessageContaining("limit is 1024");
    int tooMany = SoftLabelCodec.MAX_POSITIONS + 1;
    SoftLabels tall = new SoftLabels(new int[tooMany][0], new float[tooMany][0]);
    assertThatThrownBy(() -> SoftLabelCodec.encode(tall)).hasMessageContaining("positions");
  }

  @Test
  void emptyShapesRoundTrip() {
    SoftLabels none = new SoftLabels(new int[0][], new float[0][]);
    SoftLabels empty = new SoftLabels(new int[3][0], new float[3][0]);
    for (SoftLabels labels : new SoftLabels[] {none, empty}) {
      for (int format : new int[] {SoftLabelCodec.FORMAT_COMPACT, SoftLabelCodec.FORMAT_RAW}) {
        SoftLabels back = SoftLabelCodec.decode(SoftLabelCodec.encode(labels, format));
        assertThat(back.positions()).isEqualTo(labels.positions());
        assertThat(back.topK()).isZero();
      }
    }
  }

  private static int[][] deepCopy(int[][] a) {
    return Arrays.stream(a).map(int[]::clone).toArray(int[][]::new);
  }

  private static float[][] deepCopy(float[][] a) {
    return Arrays.stream(a).map(float[]::clone).toArray(float[][]::new);
  }
}
