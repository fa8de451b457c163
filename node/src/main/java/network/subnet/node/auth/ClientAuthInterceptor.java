package network.subnet.node.auth;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import network.subnet.node.identity.Signer;

/**
 * Signs every outgoing unary call with the node's key. The signature covers the request body, which
 * is only known when {@code sendMessage} is called, while headers must go out with {@code start};
 * so the call's start (and any flow-control requests made before it) is held back until the message
 * arrives, then the signed headers are added and the call is started for real.
 */
public final class ClientAuthInterceptor implements ClientInterceptor {

  private static final HexFormat HEX = HexFormat.of();

  private final Signer signer;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final String keyHex;

  public ClientAuthInterceptor(Signer signer, Clock clock) {
    this.signer = signer;
    this.clock = clock;
    this.keyHex = signer.publicKey().hex();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    return new SigningCall<>(next.newCall(method, callOptions), method);
  }

  /**
   * Adds the headers that authenticate a body with SHA-256 {@code bodyDigest} as a call of {@code
   * fullMethodName}.
   */
  void sign(Metadata headers, String fullMethodName, byte[] bodyDigest) {
    byte[] nonce = new byte[RequestSignature.NONCE_LENGTH];
    random.nextBytes(nonce);
    long timestampMs = clock.millis();
    byte[] signature =
        signer.sign(RequestSignature.payload(fullMethodName, bodyDigest, timestampMs, nonce));
    headers.put(AuthHeaders.KEY, keyHex);
    headers.put(AuthHeaders.TIMESTAMP, Long.toString(timestampMs));
    headers.put(AuthHeaders.NONCE, HEX.formatHex(nonce));
    headers.put(AuthHeaders.SIGNATURE, HEX.formatHex(signature));
  }

  private final class SigningCall<ReqT, RespT>
      extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    private final MethodDescriptor<ReqT, RespT> method;
    private Listener<RespT> pendingListener;
    private Metadata pendingHeaders;
    private int pendingRequests;
    private boolean started;

    SigningCall(ClientCall<ReqT, RespT> delegate, MethodDescriptor<ReqT, RespT> method) {
      super(delegate);
      this.method = method;
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
      pendingListener = responseListener;
      pendingHeaders = headers;
    }

    @Override
    public void request(int numMessages) {
      if (started) {
        super.request(numMessages);
      } else {
        pendingRequests += numMessages;
      }
    }

    @Override
    public void sendMessage(ReqT message) {
      if (!started) {
        sign(pendingHeaders, method.getFullMethodName(), BodyDigest.of(method, message));
        startNow();
      }
      super.sendMessage(message);
    }

    @Override
    public void halfClose() {
      // No message was sent: start unsigned, so the server refuses the call with a clear status.
      if (!started) {
        startNow();
      }
      super.halfClose();
    }

    @Override
    public void cancel(String message, Throwable cause) {
      if (!started && pendingListener != null) {
        startNow();
      }
      super.cancel(message, cause);
    }

    @Override
    public boolean isReady() {
      return started && super.isReady();
    }

    private void startNow() {
      started = true;
      super.start(pendingListener, pendingHeaders);
      if (pendingRequests > 0) {
        super.request(pendingRequests);
      }
    }
  }
}
