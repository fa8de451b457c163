package network.subnet.miner.behavior;

import java.util.List;
import network.subnet.miner.teacher.Teacher;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.labels.SoftLabels;

/** Answers with a cheaper model while claiming the real teacher's hashes, so it is leased the real teacher's tasks. */
public final class LazyTeacher implements Teacher {

  private final TeacherSpec claimed;
  private final Teacher cheap;

  public LazyTeacher(TeacherSpec claimed, Teacher cheap) {
    this.claimed = claimed;
    this.cheap = cheap;
  }

  @Override
  public TeacherSpec spec() {
    return claimed;
  }

  @Override
  public List<SoftLabels> label(List<int[]> sequences, int topK, float temperature) {
    return cheap.label(sequences, topK, temperature);
  }

  @Override
  public void close() {
    cheap.close();
  }
}
