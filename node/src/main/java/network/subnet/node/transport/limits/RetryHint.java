package network.subnet.node.transport.limits;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The RESOURCE_EXHAUSTED answer to a caller over its rate limit: the description says when to
 * retry, and so do two trailers, gRPC's own retry pushback and {@code subnet-retry-after-ms}.
 */
public final class RetryHint {

  public static final Metadata.Key<String> RETRY_AFTER_MS =
      Metadata.Key.of("subnet-retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> GRPC_PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private RetryHint() {}

  /** {@code who} names what is limited, e.g. "miner key ab12..."; {@code waitNanos} the retry delay. */
  public static StatusRuntimeException exhausted(String who, RateLimit limit, long waitNanos) {
    long ms = Math.max(1, (waitNanos + 999_999) / 1_000_000);
    Metadata trailers = new Metadata();
    trailers.put(RETRY_AFTER_MS, Long.toString(ms));
    trailers.put(GRPC_PUSHBACK, Long.toString(ms));
    return Status.RESOURCE_EXHAUSTED
        .withDescription(
            "rate limit for " + who + " (" + limit.describe() + ") reached; retry in " + ms + " ms")
        .asRuntimeException(trailers);
  }
}
