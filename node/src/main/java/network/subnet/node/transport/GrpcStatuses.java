package network.subnet.node.transport;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.transport.limits.RetryHint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries an {@link ApiException} across the wire and back: each {@link ApiException.Code} is the
 * gRPC status code of the same name, and the message travels as the status description. gRPC codes
 * without a domain twin fold into the nearest one a caller can act on (for example CANCELLED
 * becomes UNAVAILABLE: the call did not complete, try again).
 */
public final class GrpcStatuses {

  private static final Logger log = LoggerFactory.getLogger(GrpcStatuses.class);
  static final long MAX_RETRY_AFTER_MS = 60_000;

  private GrpcStatuses() {}

  /**
   * Answers a unary call with {@code body}'s result. An {@link ApiException} becomes its status; anything else is a
   * bug on this side: logged with its stack trace and answered INTERNAL, and the server keeps serving.
   */
  public static <T> void respond(String method, StreamObserver<T> out, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (ApiException e) {
      out.onError(toStatus(e));
      return;
    } catch (RuntimeException e) {
      log.error("{} failed", method, e);
      out.onError(
          Status.INTERNAL
              .withDescription(method + " failed inside the validator: " + e.getClass().getSimpleName())
              .asRuntimeException());
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }

  /** Runs one blocking client call, turning a gRPC status into the {@link ApiException} of the same code. */
  public static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw toApiException(e);
    }
  }

  /** Shuts a client channel down, giving calls in flight up to five seconds before cutting them. */
  public static void shutdown(ManagedChannel channel) {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  public static StatusRuntimeException toStatus(ApiException e) {
    return Status.fromCode(Status.Code.valueOf(e.code().name()))
        .withDescription(e.getMessage())
        .asRuntimeException();
  }

  /** The same refusal as a domain exception, with the peer's retry-after hint when its trailers carry one. */
  public static ApiException toApiException(StatusRuntimeException e) {
    return toApiException(e.getStatus(), e, retryAfterMs(e.getTrailers()));
  }

  public static ApiException toApiException(Status status, Throwable cause) {
    return toApiException(status, cause, 0);
  }

  private static ApiException toApiException(Status status, Throwable cause, long retryAfterMs) {
    ApiException.Code code = code(status.getCode());
    String description = status.getDescription();
    if (description != null && !description.isBlank()) {
      return new ApiException(code, description, cause, retryAfterMs);
    }
    // No words from the peer: say which gRPC status it was and what the transport reported.
    String detail =
        status.getCause() != null ? String.valueOf(status.getCause().getMessage()) : "no details";
    return new ApiException(code, status.getCode() + ": " + detail, cause, retryAfterMs);
  }

  /**
   * The wait a rate-limited peer asked for ({@link RetryHint#RETRY_AFTER_MS}), capped at a minute so a hostile or
   * confused peer cannot park a client; 0 when there is no usable hint.
   */
  static long retryAfterMs(Metadata trailers) {
    String value = trailers == null ? null : trailers.get(RetryHint.RETRY_AFTER_MS);
    if (value == null) {
      return 0;
    }
    try {
      return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static ApiException.Code code(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> ApiException.Code.INVALID_ARGUMENT;
      case NOT_FOUND -> ApiException.Code.NOT_FOUND;
      case ALREADY_EXISTS -> ApiException.Code.ALREADY_EXISTS;
      case FAILED_PRECONDITION, ABORTED -> ApiException.Code.FAILED_PRECONDITION;
      case PERMISSION_DENIED -> ApiException.Code.PERMISSION_DENIED;
      case UNAUTHENTICATED -> ApiException.Code.UNAUTHENTICATED;
      case RESOURCE_EXHAUSTED -> ApiException.Code.RESOURCE_EXHAUSTED;
      case UNAVAILABLE, CANCELLED -> ApiException.Code.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> ApiException.Code.DEADLINE_EXCEEDED;
      case OK, UNKNOWN, UNIMPLEMENTED, INTERNAL, DATA_LOSS -> ApiException.Code.INTERNAL;
    };
  }
}
