package network.subnet.node.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticSoftLabelsTest {

  @Test
  void realisticLabelsHaveTheAdvertisedShape() {
    SoftLabels labels = SyntheticSoftLabels.realistic(300, 64, 32_768, false, 9);
    double shared = 0;
    double span = 0;
    for (int p = 0; p < labels.positions(); p++) {
      int[] ids = labels.tokenIds()[p];
      float[] lps = labels.logProbs()[p];
      assertThat(Arrays.stream(ids).distinct().count()).isEqualTo(64);
      assertThat(Arrays.stream(ids).allMatch(id -> id >= 0 && id < 32_768)).isTrue();
      double top = Math.exp(lps[0]);
      assertThat(top).isBetween(0.05, 0.6);
      span += lps[0] - lps[63];
      double mass = 0;
      for (int j = 0; j < 64; j++) {
        mass += Math.exp(lps[j]);
        if (j > 0) {
          assertThat(lps[j]).isLessThanOrEqualTo(lps[j - 1]);
        }
      }
      assertThat(mass).isLessThanOrEqualTo(1.0);
      if (p > 0) {
        Set<Integer> previous = new HashSet<>();
        Arrays.stream(labels.tokenIds()[p - 1]).forEach(previous::add);
        shared += Arrays.stream(ids).filter(previous::contains).count() / 64.0;
      }
    }
    assertThat(shared / (labels.positions() - 1)).isBetween(0.3, 0.6);
    assertThat(span / labels.positions()).isBetween(5.0, 12.0);
  }

  @Test
  void sameSeedSameLabels() {
    SoftLabels a = SyntheticSoftLabels.uniformIds(20, 16, 1000, 4);
    SoftLabels b = SyntheticSoftLabels.uniformIds(20, 16, 1000, 4);
    assertThat(a.tokenIds()).isDeepEqualTo(b.tokenIds());
    assertThat(a.logProbs()).isDeepEqualTo(b.logProbs());
  }
}
