package network.subnet.node.transport;

import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.Optional;
import javax.net.ssl.SSLException;
import network.subnet.node.transport.tls.TlsIdentity;

/**
 * Whether a {@link NodeServer} speaks TLS (with a self-signed identity clients pin) or plaintext.
 * TLS uses the JDK's provider, so no native library is needed.
 */
public final class ServerSecurity {

  private final TlsIdentity identity;

  private ServerSecurity(TlsIdentity identity) {
    this.identity = identity;
  }

  /** Plaintext: only for loopback, tests, or a network that is already private. */
  public static ServerSecurity insecure() {
    return new ServerSecurity(null);
  }

  public static ServerSecurity tls(TlsIdentity identity) {
    if (identity == null) {
      throw new IllegalArgumentException("TLS needs an identity; use insecure() for plaintext");
    }
    return new ServerSecurity(identity);
  }

  public Optional<TlsIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  public boolean isTls() {
    return identity != null;
  }

  /** "TLS (certificate fingerprint ...)" or "plaintext", for start-up messages. */
  public String describe() {
    return identity == null
        ? "plaintext"
        : "TLS (certificate fingerprint " + identity.fingerprint() + ")";
  }

  void apply(NettyServerBuilder builder) {
    if (identity == null) {
      return;
    }
    try {
      builder.sslContext(
          GrpcSslContexts.configure(
                  SslContextBuilder.forServer(identity.privateKey(), identity.certificate()),
                  SslProvider.JDK)
              .build());
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the server's TLS context: " + e.getMessage(), e);
    }
  }
}
