package network.subnet.node.labels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicaDistanceTest {

  private static SoftLabels labels(int[][] ids, float[][] lp) {
    return new SoftLabels(ids, lp);
  }

  @Test
  void identicalReplicasAreAtDistanceZero() {
    SoftLabels a = labels(new int[][] {{1, 2, 3}, {4, 5, 6}}, new float[][] {{-0.1f, -1f, -2f}, {-0.2f, -1f, -3f}});
    assertThat(ReplicaDistance.between(a, a)).isEqualTo(new ReplicaDistance(1, 1, 0, 0, 6));
  }

  @Test
  void swappedRanksOverlapFullyAndPartialSetsCountWhatTheyShare() {
    SoftLabels a = labels(new int[][] {{1, 2, 3}, {4, 5, 6}}, new float[][] {{-0.1f, -1f, -2f}, {-0.2f, -1f, -3f}});
    SoftLabels b = labels(new int[][] {{2, 1, 3}, {4, 5, 9}}, new float[][] {{-0.5f, -0.6f, -2f}, {-0.2f, -1f, -3f}});
    ReplicaDistance d = ReplicaDistance.between(a, b);
    assertThat(d.top1Agreement()).isEqualTo(0.5);
    assertThat(d.matchedEntries()).isEqualTo(5);
    assertThat(d.topKOverlap()).isEqualTo(5.0 / 6);
    assertThat(d.maxAbsLogProbDiff()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(d.meanAbsLogProbDiff()).isCloseTo((0.5 + 0.5) / 5, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void differentShapesAreDisjoint() {
    SoftLabels a = labels(new int[][] {{1, 2}}, new float[][] {{-0.1f, -1f}});
    SoftLabels b = labels(new int[][] {{1}}, new float[][] {{-0.1f}});
    assertThat(ReplicaDistance.between(a, b)).isEqualTo(ReplicaDistance.DISJOINT);
    SoftLabels c = labels(new int[][] {{7, 8}}, new float[][] {{-0.1f, -1f}});
    assertThat(ReplicaDistance.between(a, c).meanAbsLogProbDiff()).isInfinite();
  }
}
