package network.subnet.node.transport;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;
import network.subnet.node.transport.tls.CertificateFingerprint;
import network.subnet.node.transport.tls.PinnedTrustManager;

/**
 * How a client trusts the server it dials: TLS pinned to one certificate fingerprint (no
 * certificate authority), or plaintext when the operator explicitly asked for it.
 */
public final class ChannelSecurity {

  private final String fingerprint;

  private ChannelSecurity(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  /** Plaintext, the client side of {@code --insecure}. */
  public static ChannelSecurity insecure() {
    return new ChannelSecurity(null);
  }

  /**
   * TLS that accepts only the certificate whose SHA-256 is {@code fingerprint} (hex, colons
   * allowed); throws {@link IllegalArgumentException} for a malformed fingerprint.
   */
  public static ChannelSecurity pinned(String fingerprint) {
    return new ChannelSecurity(CertificateFingerprint.parse(fingerprint));
  }

  public boolean isTls() {
    return fingerprint != null;
  }

  /** The pinned fingerprint, or null in plaintext. */
  public String fingerprint() {
    return fingerprint;
  }

  public String describe() {
    return fingerprint == null ? "plaintext" : "TLS pinned to " + fingerprint;
  }

  /**
   * A channel to {@code target} ("host:port") in this mode, accepting answers up to {@code
   * maxInboundMessageSize} bytes; it connects lazily, on the first call.
   */
  public ManagedChannel dial(String target, int maxInboundMessageSize) {
    return apply(NettyChannelBuilder.forTarget(target)).maxInboundMessageSize(maxInboundMessageSize).build();
  }

  /** Sets up {@code builder} for this mode, and explains TLS/plaintext mix-ups on failed calls. */
  public NettyChannelBuilder apply(NettyChannelBuilder builder) {
    builder.intercept(new TransportDiagnosis(this));
    if (fingerprint == null) {
      return builder.usePlaintext();
    }
    try {
      return builder.sslContext(
          GrpcSslContexts.configure(
                  SslContextBuilder.forClient().trustManager(new PinnedTrustManager(fingerprint)),
                  SslProvider.JDK)
              .build());
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the client's TLS context: " + e.getMessage(), e);
    }
  }
}
