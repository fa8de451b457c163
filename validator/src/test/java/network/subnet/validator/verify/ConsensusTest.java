package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ConsensusTest {

  private final ReplicaComparator comparator = new ReplicaComparator(0.98, 5e-3);
  private final Consensus consensus = new Consensus(comparator, 4);
  private final SoftLabels honest = Fixtures.honest(Fixtures.task(1, 100).spec());

  private static Consensus.Replica replica(SoftLabels labels) {
    return new Consensus.Replica(LocalSigner.generate().publicKey(), labels);
  }

  private SoftLabels withTop1Changed(int positions) {
    SoftLabels copy = Fixtures.honest(Fixtures.task(1, 100).spec());
    for (int p = 0; p < positions; p++) {
      int[] row = copy.tokenIds()[p];
      int t = row[0];
      row[0] = row[1];
      row[1] = t;
    }
    return copy;
  }

  private SoftLabels shifted(float delta) {
    SoftLabels copy = Fixtures.honest(Fixtures.task(1, 100).spec());
    for (float[] row : copy.logProbs()) {
      for (int j = 0; j < row.length; j++) {
        row[j] -= delta;
      }
    }
    return copy;
  }

  @Test
  void comparatorThresholds() {
    assertThat(comparator.compare(honest, honest)).satisfies(c -> {
      assertThat(c.top1Agreement()).isEqualTo(1.0);
      assertThat(c.meanAbsLogProbDiff()).isZero();
      assertThat(c.matchedEntries()).isEqualTo(400);
      assertThat(c.agree()).isTrue();
    });
    assertThat(comparator.agree(honest, withTop1Changed(2))).as("98%% top-1 agreement").isTrue();
    assertThat(comparator.agree(honest, withTop1Changed(3))).as("97%%").isFalse();
    assertThat(comparator.agree(honest, shifted(4e-3f))).isTrue();
    assertThat(comparator.agree(honest, shifted(6e-3f))).isFalse();
    assertThat(comparator.agree(honest, Fixtures.dishonest(Fixtures.task(1, 100).spec()))).isFalse();
  }

  @Test
  void unanimityAndMajority() {
    Consensus.Replica a = replica(honest);
    Consensus.Replica b = replica(honest);
    Consensus.Replica bad = replica(shifted(0.5f));
    assertThat(consensus.decide(List.of(a, b))).isEqualTo(new Consensus.Agreed(
        Set.of(a.miner(), b.miner()), Set.of()));
    assertThat(consensus.decide(List.of(a, bad))).isEqualTo(new Consensus.NeedMore(3));
    Consensus.Verdict three = consensus.decide(List.of(a, bad, b));
    assertThat(three).isInstanceOfSatisfying(Consensus.Agreed.class, v -> {
      assertThat(v.agreeing()).containsExactlyInAnyOrder(a.miner(), b.miner());
      assertThat(v.rejected()).containsExactly(bad.miner());
    });
  }

  @Test
  void aTieAsksForMoreUntilTheCapThenStaysUndecided() {
    Consensus.Replica a = replica(honest);
    Consensus.Replica b = replica(honest);
    Consensus.Replica x = replica(shifted(0.5f));
    Consensus.Replica y = replica(shifted(0.5f));
    Consensus.Replica z = replica(shifted(1.0f));
    assertThat(consensus.decide(List.of(a, x, z))).isEqualTo(new Consensus.NeedMore(4));
    assertThat(consensus.decide(List.of(a, b, x, y))).as("2-2 at the cap").isInstanceOf(Consensus.Undecided.class);
    assertThat(new Consensus(comparator, 5).decide(List.of(a, b, x, y))).isEqualTo(new Consensus.NeedMore(5));
  }
}
