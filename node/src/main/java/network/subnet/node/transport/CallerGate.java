package network.subnet.node.transport;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import network.subnet.node.auth.AuthContext;
import network.subnet.node.identity.PublicKey;

/**
 * Refuses calls by their verified caller (a banned key, a key over its rate limit). Install it
 * inside the authentication interceptor (see {@code ServerAuthInterceptor.protect(service,
 * inner...)}): the check runs when the request message arrives, which the authentication
 * interceptor only lets through once its signature verified, so a forged key in the headers can
 * never use up or trip someone else's allowance.
 */
public final class CallerGate implements ServerInterceptor {

  /** Decides about one verified caller. */
  @FunctionalInterface
  public interface Check {
    /** The refusal to answer with, or null to let the call through. */
    StatusRuntimeException refuse(PublicKey caller);
  }

  private final Check check;

  public CallerGate(Check check) {
    this.check = check;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    PublicKey claimed = AuthContext.CALLER.get();
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      private boolean refused;

      @Override
      public void onMessage(ReqT message) {
        if (refused) {
          return;
        }
        StatusRuntimeException refusal = claimed == null ? null : check.refuse(claimed);
        if (refusal != null) {
          refused = true;
          Metadata trailers = refusal.getTrailers() != null ? refusal.getTrailers() : new Metadata();
          call.close(refusal.getStatus(), trailers);
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
    };
  }
}
