package network.subnet.validator.verify;

import java.io.IOException;
import java.nio.file.Path;
import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.tasks.Task;

/**
 * The validator's own teacher: computes the answer to a distill task itself. It holds the answers of gold tasks and
 * breaks ties between disagreeing replicas. The validator never reaches into the miner role for it; the launcher
 * (deploy) wires one in, for example over the same checkpoint miners run.
 */
public interface ReferenceTeacher extends AutoCloseable {

  /** The soft labels the task asks for (its tokens, top-k and temperature), as an honest miner would compute them. */
  SoftLabels label(Task task);

  /** Releases the model (nothing by default). */
  @Override
  default void close() {}

  /** Opens the reference teacher over a checkpoint directory (the launcher supplies one that can). */
  @FunctionalInterface
  interface Loader {
    ReferenceTeacher load(Path model) throws IOException;
  }
}
