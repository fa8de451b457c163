package network.subnet.miner.behavior;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import network.subnet.miner.teacher.Teacher;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.labels.SoftLabels;

/**
 * Computes nothing: takes another miner's answer to the same task from the {@link Bulletin} (the daemon then signs it
 * under this miner's key, as a copycat re-signs what it copied). When nobody has posted the task within {@code wait}
 * it has nothing to copy and sends what {@code fallback} makes up.
 */
public final class CopycatTeacher implements Teacher {

  private final TeacherSpec claimed;
  private final Bulletin bulletin;
  private final Duration wait;
  private final Teacher fallback;

  public CopycatTeacher(TeacherSpec claimed, Bulletin bulletin, Duration wait, Teacher fallback) {
    this.claimed = claimed;
    this.bulletin = bulletin;
    this.wait = wait;
    this.fallback = fallback;
  }

  @Override
  public TeacherSpec spec() {
    return claimed;
  }

  @Override
  public List<SoftLabels> label(List<int[]> sequences, int topK, float temperature) {
    List<SoftLabels> out = new ArrayList<>(sequences.size());
    for (int[] s : sequences) {
      Optional<SoftLabels> copied;
      try {
        copied = bulletin.await(s, topK, temperature, wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        copied = Optional.empty();
      }
      out.add(copied.orElseGet(() -> fallback.label(List.of(s), topK, temperature).get(0)));
    }
    return out;
  }

  @Override
  public void close() {
    fallback.close();
  }
}
