package network.subnet.node.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.net.ConnectException;
import java.time.Duration;
import network.subnet.node.transport.tls.FingerprintMismatchException;
import network.subnet.node.transport.tls.TlsProbe;

/**
 * Turns the transport's terse failures into messages an operator can act on: a pinned fingerprint
 * that does not match (both fingerprints named), and one side speaking TLS while the other speaks
 * plaintext, which on the wire looks only like a closed connection. The latter is confirmed with a
 * {@link TlsProbe} of the server, and only after a call has already failed UNAVAILABLE.
 */
final class TransportDiagnosis implements ClientInterceptor {

  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final ChannelSecurity security;

  TransportDiagnosis(ChannelSecurity security) {
    this.security = security;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    String authority = next.authority();
    return new ForwardingClientCall.SimpleForwardingClientCall<>(
        next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                super.onClose(diagnose(status, authority), trailers);
              }
            },
            headers);
      }
    };
  }

  Status diagnose(Status status, String authority) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return status;
    }
    FingerprintMismatchException mismatch = find(status.getCause(), FingerprintMismatchException.class);
    if (mismatch != null) {
      return Status.UNAUTHENTICATED
          .withDescription(mismatch.getMessage() + " at " + authority)
          .withCause(status.getCause());
    }
    if (find(status.getCause(), ConnectException.class) != null || authority == null) {
      return status;
    }
    HostPort target = HostPort.parse(authority);
    if (target == null) {
      return status;
    }
    TlsProbe.Result probe = TlsProbe.probe(target.host(), target.port(), PROBE_TIMEOUT);
    if (security.isTls() && probe.kind() == TlsProbe.Kind.PLAINTEXT) {
      return status.withDescription(
          "the server at "
              + authority
              + " speaks plaintext, but this client uses TLS: the validator runs with --insecure;"
              + " pass --insecure here too, or restart the validator without it");
    }
    if (!security.isTls() && probe.kind() == TlsProbe.Kind.TLS) {
      return status.withDescription(
          "the server at "
              + authority
              + " speaks TLS, but this client uses plaintext (--insecure): drop --insecure and pin"
              + " the validator's certificate with --validator-fingerprint (it presented "
              + probe.fingerprint()
              + "; check that against the fingerprint the validator printed at start)");
    }
    return status;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  record HostPort(String host, int port) {
    static HostPort parse(String authority) {
      int colon = authority.lastIndexOf(':');
      if (colon <= 0 || colon == authority.length() - 1) {
        return null;
      }
      String host = authority.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        return new HostPort(host, Integer.parseInt(authority.substring(colon + 1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
