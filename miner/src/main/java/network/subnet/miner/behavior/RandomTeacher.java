package network.subnet.miner.behavior;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import network.subnet.miner.teacher.Teacher;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.labels.SoftLabels;

/**
 * Random answers under the real teacher's hashes. With a shared {@code seed} and {@code deterministic} set, equal
 * inputs give equal answers, which is how colluding keys agree on one wrong answer.
 */
public final class RandomTeacher implements Teacher {

  private final TeacherSpec spec;
  private final int vocab;
  private final long seed;
  private final boolean deterministic;
  private final SplittableRandom random;

  /** Fresh random answers on every call. */
  public static RandomTeacher random(TeacherSpec spec, int vocab, long seed) {
    return new RandomTeacher(spec, vocab, seed, false);
  }

  /** The same wrong answer for the same input on every key built with the same {@code seed}. */
  public static RandomTeacher colluding(TeacherSpec spec, int vocab, long seed) {
    return new RandomTeacher(spec, vocab, seed, true);
  }

  private RandomTeacher(TeacherSpec spec, int vocab, long seed, boolean deterministic) {
    if (vocab < 1) {
      throw new IllegalArgumentException("vocabulary size must be positive, got " + vocab);
    }
    this.spec = spec;
    this.vocab = vocab;
    this.seed = seed;
    this.deterministic = deterministic;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public TeacherSpec spec() {
    return spec;
  }

  @Override
  public synchronized List<SoftLabels> label(List<int[]> sequences, int topK, float temperature) {
    List<SoftLabels> out = new ArrayList<>(sequences.size());
    for (int[] s : sequences) {
      SplittableRandom r = deterministic ? new SplittableRandom(RandomLabels.seedOf(seed, s)) : random;
      out.add(RandomLabels.of(s.length, topK, vocab, r));
    }
    return out;
  }

  @Override
  public void close() {}
}
