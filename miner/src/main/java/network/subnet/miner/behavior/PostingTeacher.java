package network.subnet.miner.behavior;

import java.util.List;
import network.subnet.miner.teacher.Teacher;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.labels.SoftLabels;

/** An honest teacher whose answers are also posted to a {@link Bulletin}, where a copycat may find them. */
public final class PostingTeacher implements Teacher {

  private final Teacher inner;
  private final Bulletin bulletin;

  public PostingTeacher(Teacher inner, Bulletin bulletin) {
    this.inner = inner;
    this.bulletin = bulletin;
  }

  @Override
  public TeacherSpec spec() {
    return inner.spec();
  }

  @Override
  public List<SoftLabels> label(List<int[]> sequences, int topK, float temperature) {
    List<SoftLabels> out = inner.label(sequences, topK, temperature);
    for (int i = 0; i < sequences.size(); i++) {
      bulletin.post(sequences.get(i), topK, temperature, out.get(i));
    }
    return out;
  }

  @Override
  public void close() {
    inner.close();
  }
}
