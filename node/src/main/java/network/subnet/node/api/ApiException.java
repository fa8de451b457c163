package network.subnet.node.api;

/**
 * A refusal with a reason a peer can act on. The gRPC edge maps {@link Code} one-to-one onto a gRPC status code,
 * so domain code never touches gRPC types.
 */
public class ApiException extends RuntimeException {

  public enum Code {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    PERMISSION_DENIED,
    UNAUTHENTICATED,
    RESOURCE_EXHAUSTED,
    UNAVAILABLE,
    DEADLINE_EXCEEDED,
    INTERNAL
  }

  private final Code code;

  public ApiException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public ApiException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static ApiException invalid(String message) {
    return new ApiException(Code.INVALID_ARGUMENT, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(Code.NOT_FOUND, message);
  }
}
