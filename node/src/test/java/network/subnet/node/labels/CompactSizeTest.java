package network.subnet.node.labels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Guards the measured compact size so that a regression in the models fails the build. Bounds are the sizes measured
 * at these seeds plus about 3% margin; see {@code subnet bench labels} for the full comparison.
 */
class CompactSizeTest {

  private static final int POSITIONS = 1024;
  private static final int K = 64;
  private static final int VOCAB = 32_768;

  private static double bytesPerEntry(SoftLabels labels) {
    byte[] packed = SoftLabelCodec.encode(labels).packed();
    SoftLabelCodecTest.assertClose(labels, SoftLabelCodec.decode(SoftLabelCodec.encode(labels)));
    return (double) packed.length / ((long) labels.positions() * labels.topK());
  }

  @Test
  void realisticSyntheticLabelsStayCompact() {
    assertThat(bytesPerEntry(SyntheticSoftLabels.realistic(POSITIONS, K, VOCAB, false, 1))).isLessThan(2.24);
    assertThat(bytesPerEntry(SyntheticSoftLabels.realistic(POSITIONS, K, VOCAB, true, 1))).isLessThan(2.22);
  }

  @Test
  void uniformIdsStayCompact() {
    assertThat(bytesPerEntry(SyntheticSoftLabels.uniformIds(POSITIONS, K, VOCAB, 1))).isLessThan(2.84);
  }
}
