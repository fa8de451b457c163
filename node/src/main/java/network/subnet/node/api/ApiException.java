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
  private final long retryAfterMs;

  public ApiException(Code code, String message) {
    this(code, message, null, 0);
  }

  public ApiException(Code code, String message, Throwable cause) {
    this(code, message, cause, 0);
  }

  /** A refusal that says how long to wait before asking again ({@code retryAfterMs}, 0 when it does not say). */
  public ApiException(Code code, String message, Throwable cause, long retryAfterMs) {
    super(message, cause);
    if (retryAfterMs < 0) {
      throw new IllegalArgumentException("retry-after must not be negative, got " + retryAfterMs);
    }
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }

  public Code code() {
    return code;
  }

  /** How long the peer asked the caller to wait before trying again, in milliseconds; 0 when it gave no hint. */
  public long retryAfterMs() {
    return retryAfterMs;
  }

  public static ApiException invalid(String message) {
    return new ApiException(Code.INVALID_ARGUMENT, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(Code.NOT_FOUND, message);
  }
}
