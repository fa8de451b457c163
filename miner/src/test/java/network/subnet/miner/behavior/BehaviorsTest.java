package network.subnet.miner.behavior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import network.subnet.miner.teacher.Teacher;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.labels.SoftLabels;
import org.junit.jupiter.api.Test;

/** Each adversary keeps the honest teacher's spec and shapes, and answers the way its name says. */
class BehaviorsTest {

  private static final TeacherSpec SPEC = new TeacherSpec("model", "tokenizer", "float32", "cpu", "single");
  private static final int[] A = {1, 5, 9, 13};
  private static final int[] B = {1, 6, 10, 14, 18};

  /** A deterministic stand-in for the model: id and log-prob depend on the token at each position. */
  private static final class FakeTeacher implements Teacher {
    final int offset;
    final AtomicBoolean closed = new AtomicBoolean();
    int calls;

    FakeTeacher(int offset) {
      this.offset = offset;
    }

    @Override
    public TeacherSpec spec() {
      return SPEC;
    }

    @Override
    public List<SoftLabels> label(List<int[]> sequences, int topK, float temperature) {
      calls++;
      return sequences.stream().map(s -> {
        int[][] ids = new int[s.length][topK];
        float[][] lp = new float[s.length][topK];
        for (int p = 0; p < s.length; p++) {
          for (int j = 0; j < topK; j++) {
            ids[p][j] = (s[p] + offset + j) % 50;
            lp[p][j] = -0.5f * (j + 1);
          }
        }
        return new SoftLabels(ids, lp);
      }).toList();
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static Behaviors.Setting setting(Bulletin bulletin, long seed, Teacher cheap) {
    return new Behaviors.Setting(bulletin, 50, seed, () -> cheap, Duration.ofMillis(50));
  }

  private static SoftLabels one(Teacher t, int[] seq) {
    return t.label(List.of(seq), 3, 1f).get(0);
  }

  private static boolean same(SoftLabels x, SoftLabels y) {
    return java.util.Arrays.deepEquals(x.tokenIds(), y.tokenIds())
        && java.util.Arrays.deepEquals(x.logProbs(), y.logProbs());
  }

  @Test
  void randomAndColludingAnswersAreWrongButColludersAgree() {
    SoftLabels honest = one(new FakeTeacher(0), A);
    Teacher random = Behaviors.wrap(Behavior.RANDOM, new FakeTeacher(0), setting(null, 3, null));
    Teacher c1 = Behaviors.wrap(Behavior.COLLUDE, new FakeTeacher(0), setting(null, 17, null));
    Teacher c2 = Behaviors.wrap(Behavior.COLLUDE, new FakeTeacher(0), setting(null, 17, null));
    SoftLabels r = one(random, A);
    assertThat(random.spec()).isEqualTo(SPEC);
    assertThat(r.positions()).isEqualTo(A.length);
    assertThat(r.topK()).isEqualTo(3);
    assertThat(same(r, honest)).isFalse();
    for (float[] row : r.logProbs()) {
      assertThat(row[0]).isLessThan(0f).isGreaterThanOrEqualTo(row[1]);
    }
    assertThat(same(one(c1, A), one(c2, A))).isTrue();
    assertThat(same(one(c1, A), honest)).isFalse();
    assertThat(same(one(c1, A), one(c1, B))).isFalse();
  }

  @Test
  void lazyAnswersWithTheCheapModelUnderTheRealSpec() {
    FakeTeacher honest = new FakeTeacher(0);
    FakeTeacher cheap = new FakeTeacher(7);
    Teacher lazy = Behaviors.wrap(Behavior.LAZY, honest, setting(null, 1, cheap));
    assertThat(lazy.spec()).isEqualTo(SPEC);
    assertThat(same(one(lazy, A), one(cheap, A))).isTrue();
    assertThat(honest.calls).isZero();
    lazy.close();
    assertThat(honest.closed).isTrue();
    assertThat(cheap.closed).isTrue();
  }

  @Test
  void replayComputesOnceThenResubmitsOldAnswers() {
    FakeTeacher honest = new FakeTeacher(0);
    Teacher replay = Behaviors.wrap(Behavior.REPLAY, honest, setting(null, 1, null));
    assertThat(same(one(replay, A), one(new FakeTeacher(0), A))).isTrue();
    SoftLabels replayed = one(replay, B);
    assertThat(replayed.positions()).isEqualTo(B.length);
    assertThat(same(replayed, one(new FakeTeacher(0), B))).isFalse();
    assertThat(replayed.tokenIds()[0]).isEqualTo(one(new FakeTeacher(0), A).tokenIds()[0]);
    assertThat(honest.calls).isEqualTo(1);
  }

  @Test
  void copycatCopiesWhatAnHonestMinerPostedAndMakesUpTheRest() {
    Bulletin bulletin = new Bulletin();
    Teacher poster = Behaviors.wrap(Behavior.HONEST, new FakeTeacher(0), setting(bulletin, 1, null));
    FakeTeacher idle = new FakeTeacher(0);
    Teacher copycat = Behaviors.wrap(Behavior.COPYCAT, idle, setting(bulletin, 5, null));
    SoftLabels posted = one(poster, A);
    assertThat(bulletin.size()).isEqualTo(1);
    assertThat(same(one(copycat, A), posted)).isTrue();
    SoftLabels madeUp = one(copycat, B);
    assertThat(madeUp.positions()).isEqualTo(B.length);
    assertThat(same(madeUp, one(new FakeTeacher(0), B))).isFalse();
    assertThat(idle.calls).as("a copycat never runs the model").isZero();
  }

  @Test
  void namesParseAndAnUnknownOneIsRefused() {
    assertThat(Behavior.parse("Copycat")).isEqualTo(Behavior.COPYCAT);
    assertThat(Behavior.HONEST.adversarial()).isFalse();
    assertThatThrownBy(() -> Behavior.parse("sneaky"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown miner behavior 'sneaky'")
        .hasMessageContaining("honest, random, lazy, replay, copycat, collude");
  }
}
