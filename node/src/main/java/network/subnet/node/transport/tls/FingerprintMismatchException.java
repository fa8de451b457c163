package network.subnet.node.transport.tls;

import java.security.cert.CertificateException;

/** The server presented a certificate other than the pinned one; the message names both. */
public final class FingerprintMismatchException extends CertificateException {

  private final String expected;
  private final String actual;

  public FingerprintMismatchException(String expected, String actual) {
    super(
        "validator certificate fingerprint mismatch: expected "
            + expected
            + ", got "
            + actual
            + " (a different validator, a regenerated certificate, or someone in between)");
    this.expected = expected;
    this.actual = actual;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
