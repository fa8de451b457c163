package network.subnet.node.transport;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import network.subnet.node.api.ApiException;

/**
 * Carries an {@link ApiException} across the wire and back: each {@link ApiException.Code} is the
 * gRPC status code of the same name, and the message travels as the status description. gRPC codes
 * without a domain twin fold into the nearest one a caller can act on (for example CANCELLED
 * becomes UNAVAILABLE: the call did not complete, try again).
 */
public final class GrpcStatuses {

  private GrpcStatuses() {}

  public static StatusRuntimeException toStatus(ApiException e) {
    return Status.fromCode(Status.Code.valueOf(e.code().name()))
        .withDescription(e.getMessage())
        .asRuntimeException();
  }

  public static ApiException toApiException(StatusRuntimeException e) {
    return toApiException(e.getStatus(), e);
  }

  public static ApiException toApiException(Status status, Throwable cause) {
    ApiException.Code code = code(status.getCode());
    String description = status.getDescription();
    if (description == null || description.isBlank()) {
      description =
          status.getCause() != null ? String.valueOf(status.getCause().getMessage()) : "no details";
    }
    return new ApiException(code, status.getCode() + ": " + description, cause);
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
