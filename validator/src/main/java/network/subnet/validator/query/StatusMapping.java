package network.subnet.validator.query;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import network.subnet.node.api.ApiException;

/** ApiException codes and gRPC status codes, one-to-one in both directions. */
final class StatusMapping {

  private StatusMapping() {}

  static StatusRuntimeException toStatus(RuntimeException e) {
    if (e instanceof ApiException api) {
      Status.Code code = switch (api.code()) {
        case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
        case NOT_FOUND -> Status.Code.NOT_FOUND;
        case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
        case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
        case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
        case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
        case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
        case UNAVAILABLE -> Status.Code.UNAVAILABLE;
        case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
        case INTERNAL -> Status.Code.INTERNAL;
      };
      return Status.fromCode(code).withDescription(api.getMessage()).asRuntimeException();
    }
    if (e instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    return Status.INTERNAL.withDescription("internal error: " + e).withCause(e).asRuntimeException();
  }

  static ApiException toApi(StatusRuntimeException e) {
    ApiException.Code code = switch (e.getStatus().getCode()) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> ApiException.Code.INVALID_ARGUMENT;
      case NOT_FOUND -> ApiException.Code.NOT_FOUND;
      case ALREADY_EXISTS -> ApiException.Code.ALREADY_EXISTS;
      case FAILED_PRECONDITION, ABORTED -> ApiException.Code.FAILED_PRECONDITION;
      case PERMISSION_DENIED -> ApiException.Code.PERMISSION_DENIED;
      case UNAUTHENTICATED -> ApiException.Code.UNAUTHENTICATED;
      case RESOURCE_EXHAUSTED -> ApiException.Code.RESOURCE_EXHAUSTED;
      case UNAVAILABLE, CANCELLED -> ApiException.Code.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> ApiException.Code.DEADLINE_EXCEEDED;
      default -> ApiException.Code.INTERNAL;
    };
    String description = e.getStatus().getDescription();
    String message = description != null ? description : e.getStatus().getCode().toString();
    if (e.getStatus().getCause() != null && description == null) {
      message = message + ": " + e.getStatus().getCause().getMessage();
    }
    return new ApiException(code, message, e);
  }
}
