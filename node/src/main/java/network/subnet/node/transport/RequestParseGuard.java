package network.subnet.node.transport;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;

/**
 * Answers a request body that does not parse (truncated, garbage, a length prefix past its end) with
 * INVALID_ARGUMENT naming the method, where grpc-java would answer UNKNOWN ("Application error processing RPC"): the
 * fault is the sender's, and it should read so. The service's messages must arrive as raw streams ({@link
 * ServerInterceptors#useInputStreamMessages}) so that parsing happens behind this interceptor; {@link #guard} arranges
 * that, and {@code ServerAuthInterceptor#protect} installs it between the signature check and the service.
 */
public final class RequestParseGuard implements ServerInterceptor {

  public static final RequestParseGuard INSTANCE = new RequestParseGuard();

  private RequestParseGuard() {}

  /** {@code service} with its request bodies parsed behind this guard. */
  public static ServerServiceDefinition guard(ServerServiceDefinition service) {
    return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service), INSTANCE);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    return new Listener<>(next.startCall(call, headers), call);
  }

  private static final class Listener<ReqT, RespT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final ServerCall<ReqT, RespT> call;
    private boolean refused;

    Listener(ServerCall.Listener<ReqT> delegate, ServerCall<ReqT, RespT> call) {
      super(delegate);
      this.call = call;
    }

    @Override
    public void onMessage(ReqT message) {
      if (refused) {
        return;
      }
      try {
        // A unary handler only keeps the message here; the one thing that can throw is parsing it.
        super.onMessage(message);
      } catch (RuntimeException e) {
        refused = true;
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        call.close(
            Status.INVALID_ARGUMENT.withDescription(
                "request body of "
                    + call.getMethodDescriptor().getFullMethodName()
                    + " is not a valid protobuf message: "
                    + cause.getMessage()),
            new Metadata());
      }
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
  }
}
