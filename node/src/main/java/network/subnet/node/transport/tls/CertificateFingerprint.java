package network.subnet.node.transport.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 of a certificate's DER encoding, as 64 lowercase hex characters: what a client pins
 * instead of trusting a certificate authority.
 */
public final class CertificateFingerprint {

  public static final int HEX_LENGTH = 64;

  private CertificateFingerprint() {}

  public static String of(X509Certificate certificate) {
    try {
      return of(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be DER-encoded", e);
    }
  }

  public static String of(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * {@code text} as 64 lowercase hex characters; colons and spaces (as {@code openssl x509
   * -fingerprint} prints them) are dropped. Throws {@link IllegalArgumentException} naming the
   * problem otherwise.
   */
  public static String parse(String text) {
    String hex = text.strip().replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
    if (hex.length() != HEX_LENGTH) {
      throw new IllegalArgumentException(
          "a certificate fingerprint is SHA-256 in "
              + HEX_LENGTH
              + " hex characters, got "
              + hex.length()
              + " in '"
              + text
              + "'");
    }
    if (!hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("certificate fingerprint '" + text + "' is not hex");
    }
    return hex;
  }
}
