package network.subnet.node.transport.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Finds out whether a server speaks TLS, to explain a failed connection: one side in TLS and the
 * other in plaintext otherwise shows only as a closed connection. The probe trusts any certificate
 * because it sends nothing: it only reports what the server presented.
 */
public final class TlsProbe {

  /** What the probe found. */
  public enum Kind {
    TLS,
    PLAINTEXT,
    UNREACHABLE
  }

  /**
   * @param fingerprint the certificate's fingerprint when {@link Kind#TLS}, else null
   * @param detail what went wrong, for messages
   */
  public record Result(Kind kind, String fingerprint, String detail) {}

  private TlsProbe() {}

  public static Result probe(String host, int port, Duration timeout) {
    AtomicReference<X509Certificate> seen = new AtomicReference<>();
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Recording(seen)}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS", e);
    }
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket raw = new Socket()) {
      try {
        raw.connect(new InetSocketAddress(host, port), millis);
      } catch (IOException e) {
        return new Result(Kind.UNREACHABLE, null, e.toString());
      }
      raw.setSoTimeout(millis);
      try (SSLSocket tls =
          (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, false)) {
        tls.startHandshake();
        X509Certificate cert = seen.get();
        return new Result(Kind.TLS, cert == null ? null : CertificateFingerprint.of(cert), "");
      } catch (SSLException e) {
        return new Result(Kind.PLAINTEXT, null, e.getMessage());
      } catch (IOException e) {
        // Closed or silent after our ClientHello: a plaintext server gives up on it.
        return new Result(Kind.PLAINTEXT, null, e.toString());
      }
    } catch (IOException e) {
      return new Result(Kind.UNREACHABLE, null, e.toString());
    }
  }

  private static final class Recording extends X509ExtendedTrustManager {
    private final AtomicReference<X509Certificate> seen;

    Recording(AtomicReference<X509Certificate> seen) {
      this.seen = seen;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      if (chain != null && chain.length > 0) {
        seen.set(chain[0]);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
