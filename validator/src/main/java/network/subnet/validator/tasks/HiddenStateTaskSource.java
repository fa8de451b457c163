package network.subnet.validator.tasks;

import java.util.ArrayList;
import java.util.List;
import network.subnet.node.api.TaskKind;
import network.subnet.node.tensor.DType;

/**
 * Compress tasks made of real activations: the teacher's hidden states at one layer for the token windows of distill
 * tasks, narrowed to {@code dtype} (bf16, as activations cross the network in training). The same windows give the
 * same tensors and so the same task ids, so a restart adds nothing twice.
 */
public final class HiddenStateTaskSource {

  private final HiddenStateSource teacher;
  private final int layer;
  private final DType dtype;
  private final CompressTaskSource tasks;

  public HiddenStateTaskSource(HiddenStateSource teacher, int layer, DType dtype, CompressTaskSource tasks) {
    if (layer < 0) {
      throw new IllegalArgumentException("hidden-state layer must be >= 0, got " + layer);
    }
    this.teacher = teacher;
    this.layer = layer;
    this.dtype = dtype;
    this.tasks = tasks;
  }

  /** One compress task for each of the first {@code count} distill tasks of {@code from}. */
  public List<Task> tasksFrom(List<Task> from, int count) {
    List<Task> out = new ArrayList<>();
    for (Task t : from) {
      if (out.size() == count) {
        break;
      }
      if (t.kind() == TaskKind.DISTILL) {
        String where = "hidden states at layer " + layer + " of task " + t.id();
        out.add(tasks.task(where, teacher.hiddenStates(t.spec().tokens(), layer, dtype)));
      }
    }
    return out;
  }
}
