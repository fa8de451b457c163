package network.subnet.validator.verify;

import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.tasks.Task;

/**
 * The validator's own teacher: computes the answer to a distill task itself. It holds the answers of gold tasks and
 * breaks ties between disagreeing replicas. The validator never reaches into the miner role for it; the launcher
 * (deploy) wires one in, for example over the same checkpoint miners run.
 */
public interface ReferenceTeacher {

  /** The soft labels the task asks for (its tokens, top-k and temperature), as an honest miner would compute them. */
  SoftLabels label(Task task);
}
