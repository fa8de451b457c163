package network.subnet.node.transport.tls;

/** A TLS identity that is missing, unreadable or inconsistent; the message names the file. */
public final class TlsException extends RuntimeException {

  public TlsException(String message) {
    super(message);
  }

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
