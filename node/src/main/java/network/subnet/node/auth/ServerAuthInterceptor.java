package network.subnet.node.auth;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import network.subnet.node.identity.Ed25519;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.transport.RequestParseGuard;

/**
 * Refuses every call that is not signed by the key it names, is stale or early by more than the
 * allowed clock skew, or repeats a nonce. The headers are checked when the call starts; the
 * signature covers the body, so it is checked when the request message arrives, before the service
 * sees it. The service runs only for a verified message and finds the caller in {@link
 * AuthContext#CALLER}. Only unary methods are accepted: one signature covers one body.
 *
 * <p>Install it with {@link #protect}, which verifies the body bytes exactly as received. Installed
 * as a plain interceptor it re-serializes the parsed message instead, which only matches senders
 * that serialize canonically.
 */
public final class ServerAuthInterceptor implements ServerInterceptor {

  public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(30);

  private final Clock clock;
  private final ReplayGuard replayGuard;
  private final long maxSkewMs;

  public ServerAuthInterceptor(Clock clock, ReplayGuard replayGuard) {
    this(clock, replayGuard, DEFAULT_MAX_SKEW);
  }

  /**
   * The replay guard's window should be at least {@code maxSkew}, or a replay could outlive its
   * nonce.
   */
  public ServerAuthInterceptor(Clock clock, ReplayGuard replayGuard, Duration maxSkew) {
    this.clock = clock;
    this.replayGuard = replayGuard;
    this.maxSkewMs = maxSkew.toMillis();
  }

  /** A guard sized for the default skew and capacity. */
  public static ServerAuthInterceptor withDefaults(Clock clock) {
    return new ServerAuthInterceptor(
        clock, new ReplayGuard(DEFAULT_MAX_SKEW, ReplayGuard.DEFAULT_CAPACITY));
  }

  /**
   * {@code service} behind this interceptor, seeing each request as the raw bytes received (then
   * parsed for the service as usual), so a sender whose serializer orders fields differently, or a
   * newer schema with fields this node does not know, still verifies. A verified body that does not parse is
   * answered INVALID_ARGUMENT by {@link RequestParseGuard}.
   */
  public ServerServiceDefinition protect(BindableService service) {
    return ServerInterceptors.intercept(
        ServerInterceptors.useInputStreamMessages(service.bindService()), RequestParseGuard.INSTANCE, this);
  }

  /**
   * As {@link #protect(BindableService)}, with {@code inner} interceptors between this one and the
   * service (the first sees the call first). They find the claimed caller in {@link
   * AuthContext#CALLER} when the call starts, and receive the request message only once its
   * signature verified.
   */
  public ServerServiceDefinition protect(BindableService service, ServerInterceptor... inner) {
    List<ServerInterceptor> outermostLast = new ArrayList<>(List.of(inner));
    Collections.reverse(outermostLast);
    // The parse guard sits innermost, as in protect(service): a verified body that is not the message is answered
    // INVALID_ARGUMENT.
    outermostLast.add(0, RequestParseGuard.INSTANCE);
    ServerServiceDefinition wrapped =
        ServerInterceptors.intercept(
            ServerInterceptors.useInputStreamMessages(service.bindService()), outermostLast);
    return ServerInterceptors.intercept(wrapped, this);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (call.getMethodDescriptor().getType() != MethodType.UNARY) {
      return refuse(call, Status.UNIMPLEMENTED, "only unary calls can be authenticated");
    }
    Claim claim;
    try {
      claim = Claim.parse(headers);
    } catch (AuthFailure e) {
      return refuse(call, e.status, e.getMessage());
    }
    long skewMs = clock.millis() - claim.timestampMs;
    if (Math.abs(skewMs) > maxSkewMs) {
      String when = skewMs > 0 ? (skewMs / 1000) + " s old" : (-skewMs / 1000) + " s in the future";
      return refuse(
          call,
          Status.UNAUTHENTICATED,
          "request timestamp is " + when + "; clocks must agree within " + maxSkewMs / 1000 + " s");
    }
    Context context = Context.current().withValue(AuthContext.CALLER, claim.key)
        .withValue(AuthContext.REMOTE_ADDRESS, remoteAddress(call));
    ServerCall.Listener<ReqT> delegate = Contexts.interceptCall(context, call, headers, next);
    return new VerifyingListener<>(delegate, call, claim);
  }

  private final class VerifyingListener<ReqT, RespT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final ServerCall<ReqT, RespT> call;
    private final Claim claim;
    private boolean refused;

    VerifyingListener(
        ServerCall.Listener<ReqT> delegate, ServerCall<ReqT, RespT> call, Claim claim) {
      super(delegate);
      this.call = call;
      this.claim = claim;
    }

    @Override
    public void onMessage(ReqT message) {
      if (refused) {
        return;
      }
      Status failure = verify(message);
      if (failure != null) {
        refused = true;
        call.close(failure, new Metadata());
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        super.onReady();
      }
    }

    private Status verify(ReqT message) {
      String method = call.getMethodDescriptor().getFullMethodName();
      byte[] digest = BodyDigest.of(call.getMethodDescriptor(), message);
      byte[] payload = RequestSignature.payload(method, digest, claim.timestampMs, claim.nonce);
      if (!Ed25519.verify(claim.key, payload, claim.signature)) {
        return Status.UNAUTHENTICATED.withDescription(
            "signature does not match key "
                + claim.key.hex()
                + " for "
                + method
                + " and this request body");
      }
      // Only a verified request may claim a nonce, or anyone could burn another miner's nonces.
      return switch (replayGuard.check(claim.key, claim.nonce, claim.timestampMs, clock.millis())) {
        case FRESH -> null;
        case REPLAYED ->
            Status.UNAUTHENTICATED.withDescription("nonce already used: request replayed");
        case STALE ->
            Status.UNAUTHENTICATED.withDescription(
                "request timestamp is older than the "
                    + maxSkewMs / 1000
                    + " s window by the time its body arrived");
        case FULL ->
            Status.RESOURCE_EXHAUSTED.withDescription(
                "too many requests in the replay window; retry later");
      };
    }
  }

  private static InetAddress remoteAddress(ServerCall<?, ?> call) {
    return call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR) instanceof InetSocketAddress a
        ? a.getAddress()
        : null;
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, Status status, String why) {
    call.close(status.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private record Claim(PublicKey key, long timestampMs, byte[] nonce, byte[] signature) {
    static Claim parse(Metadata headers) throws AuthFailure {
      String key = required(headers, AuthHeaders.KEY);
      String timestamp = required(headers, AuthHeaders.TIMESTAMP);
      String nonce = required(headers, AuthHeaders.NONCE);
      String signature = required(headers, AuthHeaders.SIGNATURE);
      PublicKey publicKey;
      try {
        publicKey = PublicKey.fromHex(key);
      } catch (IllegalArgumentException e) {
        throw new AuthFailure(
            "header " + AuthHeaders.KEY.name() + " is not a hex Ed25519 public key");
      }
      long timestampMs;
      try {
        timestampMs = Long.parseLong(timestamp);
      } catch (NumberFormatException e) {
        throw new AuthFailure(
            "header " + AuthHeaders.TIMESTAMP.name() + " is not a decimal millisecond timestamp");
      }
      return new Claim(
          publicKey,
          timestampMs,
          hex(nonce, RequestSignature.NONCE_LENGTH, AuthHeaders.NONCE),
          hex(signature, Ed25519.SIGNATURE_LENGTH, AuthHeaders.SIGNATURE));
    }

    private static String required(Metadata headers, io.grpc.Metadata.Key<String> name)
        throws AuthFailure {
      String value = headers.get(name);
      if (value == null || value.isEmpty()) {
        throw new AuthFailure("request is not signed: header " + name.name() + " is missing");
      }
      return value;
    }

    private static byte[] hex(String value, int length, Metadata.Key<String> name)
        throws AuthFailure {
      byte[] bytes;
      try {
        bytes = HexFormat.of().parseHex(value);
      } catch (IllegalArgumentException e) {
        throw new AuthFailure("header " + name.name() + " is not hex");
      }
      if (bytes.length != length) {
        throw new AuthFailure(
            "header " + name.name() + " must hold " + length + " bytes, got " + bytes.length);
      }
      return bytes;
    }
  }

  private static final class AuthFailure extends Exception {
    final Status status = Status.UNAUTHENTICATED;

    AuthFailure(String message) {
      super(message, null, false, false);
    }
  }
}
