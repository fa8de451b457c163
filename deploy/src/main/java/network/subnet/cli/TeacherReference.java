package network.subnet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.Teacher;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.verify.ReferenceTeacher;

/**
 * The validator's own teacher over the checkpoint miners run: the launcher, which may see both roles, lends the
 * miner's implementation to the validator through the validator's {@link ReferenceTeacher} interface.
 */
public final class TeacherReference implements ReferenceTeacher, AutoCloseable {

  /** One CPU thread: the validator's teacher answers gold tasks and tie-breaks, a trickle beside the miners' work. */
  public static final TeacherOptions OPTIONS = new TeacherOptions(TeacherOptions.CPU, 1, 4096);

  private final Teacher teacher;

  public TeacherReference(Teacher teacher) {
    this.teacher = teacher;
  }

  /** Loads the checkpoint in {@code model} on one CPU thread. */
  public static TeacherReference load(Path model) throws IOException {
    return new TeacherReference(MistralTeacher.load(model, OPTIONS));
  }

  @Override
  public SoftLabels label(Task task) {
    if (task.spec() == null) {
      throw new IllegalArgumentException("task " + task.id() + " is not a distill task");
    }
    return teacher.label(List.of(task.spec().tokens()), task.spec().topK(), task.spec().temperature()).get(0);
  }

  @Override
  public void close() {
    teacher.close();
  }
}
