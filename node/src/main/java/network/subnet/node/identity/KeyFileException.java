package network.subnet.node.identity;

/** A key file that is missing, unreadable, corrupt or inconsistent; the message names the file and the problem. */
public final class KeyFileException extends RuntimeException {

  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
