package network.subnet.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SimilarityTest {

  @Test
  void matchesTheApexDefinition() {
    float[] a = {3, 4};
    assertThat(Similarity.apex(a, new float[] {3, 4})).isEqualTo(1.0, within(1e-15));
    // Scaling keeps the cosine but not the norm term: 1 - ||0.1 a|| / ||a|| = 0.9.
    assertThat(Similarity.apex(a, new float[] {3.3f, 4.4f})).isEqualTo(0.9, within(1e-6));
    Similarity.Parts p = Similarity.parts(new float[] {1, 0}, new float[] {1, 1});
    assertThat(p.cosine()).isEqualTo(1 / Math.sqrt(2), within(1e-15));
    assertThat(p.normSimilarity()).isEqualTo(0.0, within(1e-15));
    assertThat(p.similarity()).isEqualTo(0.0, within(1e-15));
    assertThat(Similarity.parts(a, new float[] {0, 0}).cosine()).isZero();
  }

  @Test
  void refusesUndefinedCases() {
    assertThatThrownBy(() -> Similarity.apex(new float[] {0, 0}, new float[] {1, 1}))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("zero");
    assertThatThrownBy(() -> Similarity.apex(new float[] {1, 2}, new float[] {1}))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("shape mismatch");
  }

  @Test
  void apexScoreFormulas() {
    assertThat(ApexScore.raw(1, 0.99, 2)).isEqualTo(29 + 990 + 2e6, within(1e-6));
    assertThat(ApexScore.normalized(2e6)).isEqualTo(0.5, within(1e-12));
    assertThat(ApexScore.normalized(3e6)).isGreaterThan(0.95);
  }
}
