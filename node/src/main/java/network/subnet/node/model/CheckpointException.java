package network.subnet.node.model;

import java.io.IOException;

/** A model directory that cannot be used as it is: a missing file, a bad header, a missing or misshapen tensor. */
public final class CheckpointException extends IOException {

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
