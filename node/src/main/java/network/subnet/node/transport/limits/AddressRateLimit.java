package network.subnet.node.transport.limits;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Limits calls per client IP address before anything else runs, so a flood costs the server a map
 * lookup rather than a signature check. Install it outside the authentication interceptor.
 */
public final class AddressRateLimit implements ServerInterceptor {

  private final RateLimiter<InetAddress> limiter;

  public AddressRateLimit(RateLimiter<InetAddress> limiter) {
    this.limiter = limiter;
  }

  public RateLimiter<InetAddress> limiter() {
    return limiter;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      long wait = limiter.acquire(inet.getAddress());
      if (wait > 0) {
        StatusRuntimeException refusal =
            RetryHint.exhausted("address " + inet.getAddress().getHostAddress(), limiter.limit(), wait);
        call.close(refusal.getStatus(), refusal.getTrailers());
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }
}
