package network.subnet.node.compete;

/** A submission that cannot be scored, with the reason in words a competitor can act on. */
public final class ScoringException extends RuntimeException {

  public ScoringException(String message) {
    super(message);
  }

  public ScoringException(String message, Throwable cause) {
    super(message, cause);
  }
}
