package network.subnet.node.transport.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, named by its SHA-256 fingerprint, and nothing else: no
 * certificate authority, no host name check (validators are dialled by IP as often as by name, and
 * the pin already says which key is meant). Extending {@link X509ExtendedTrustManager} keeps the
 * JDK from wrapping it with its own host name verification.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {

  private final String fingerprint;

  /** {@code fingerprint} in any form {@link CertificateFingerprint#parse} accepts. */
  public PinnedTrustManager(String fingerprint) {
    this.fingerprint = CertificateFingerprint.parse(fingerprint);
  }

  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server presented no certificate");
    }
    String actual = CertificateFingerprint.of(chain[0]);
    if (!actual.equals(fingerprint)) {
      throw new FingerprintMismatchException(fingerprint, actual);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
