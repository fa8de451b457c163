package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.ValidatorConfig;
import org.junit.jupiter.api.Test;

class TolerancesTest {

  @Test
  void defaultsAreTheCalibratedOnesAndDescribeThemselves() {
    assertThat(Tolerances.DEFAULT.describe())
        .isEqualTo("top1>=0.98 topk-overlap>=0.95 mean-abs-logprob-diff<=0.002");
    assertThat(ValidatorConfig.DEFAULT_MAX_LOGPROB_DIFF).isEqualTo(Tolerances.DEFAULT.maxMeanLogProbDiff());
    assertThat(new ReplicaComparator(0.9, 1e-3).tolerances().describe())
        .isEqualTo("top1>=0.9 topk-overlap>=0.95 mean-abs-logprob-diff<=0.001");
    assertThatThrownBy(() -> new Tolerances(1.5, 0.9, 0.1)).hasMessageContaining("top-1");
    assertThatThrownBy(() -> new Tolerances(0.9, -0.1, 0.1)).hasMessageContaining("top-k overlap");
    assertThatThrownBy(() -> new Tolerances(0.9, 0.9, Double.NaN)).hasMessageContaining("log-prob");
  }

  @Test
  void replicasThatShareTheBestTokenButNotTheRestDisagree() {
    int[][] ids = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    float[][] lp = {{-0.1f, -2f, -3f, -4f}, {-0.1f, -2f, -3f, -4f}};
    SoftLabels honest = new SoftLabels(ids, lp);
    SoftLabels padded = new SoftLabels(new int[][] {{1, 20, 30, 40}, {5, 60, 70, 80}}, lp);
    ReplicaComparator comparator = new ReplicaComparator(Tolerances.DEFAULT);
    assertThat(comparator.compare(honest, honest).agree()).isTrue();
    ReplicaComparator.Comparison c = comparator.compare(honest, padded);
    assertThat(c.top1Agreement()).isEqualTo(1.0);
    assertThat(c.meanAbsLogProbDiff()).isZero();
    assertThat(c.distance().topKOverlap()).isEqualTo(0.25);
    assertThat(c.agree()).isFalse();
    assertThat(new ReplicaComparator(new Tolerances(0.98, 0.2, 2e-3)).agree(honest, padded)).isTrue();
  }
}
