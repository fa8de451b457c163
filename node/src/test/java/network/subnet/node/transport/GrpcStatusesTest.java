package network.subnet.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import network.subnet.node.api.ApiException;
import network.subnet.node.transport.limits.RateLimit;
import network.subnet.node.transport.limits.RetryHint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcStatusesTest {

  @ParameterizedTest
  @EnumSource(ApiException.Code.class)
  void everyDomainCodeCrossesTheWireUnchanged(ApiException.Code code) {
    StatusRuntimeException wire = GrpcStatuses.toStatus(new ApiException(code, "because " + code));
    assertThat(wire.getStatus().getCode().name()).isEqualTo(code.name());
    assertThat(wire.getStatus().getDescription()).isEqualTo("because " + code);

    ApiException back = GrpcStatuses.toApiException(wire);
    assertThat(back.code()).isEqualTo(code);
    assertThat(back.getMessage()).contains("because " + code);
  }

  @Test
  void grpcOnlyCodesFoldIntoActionableOnes() {
    assertThat(GrpcStatuses.toApiException(Status.CANCELLED.asRuntimeException()).code())
        .isEqualTo(ApiException.Code.UNAVAILABLE);
    assertThat(GrpcStatuses.toApiException(Status.UNIMPLEMENTED.asRuntimeException()).code())
        .isEqualTo(ApiException.Code.INTERNAL);
    assertThat(GrpcStatuses.toApiException(Status.OUT_OF_RANGE.asRuntimeException()).code())
        .isEqualTo(ApiException.Code.INVALID_ARGUMENT);
  }

  @Test
  void statusWithoutDescriptionStillSaysSomething() {
    ApiException e =
        GrpcStatuses.toApiException(
            Status.UNAVAILABLE
                .withCause(new java.io.IOException("connection refused"))
                .asRuntimeException());
    assertThat(e.getMessage()).isEqualTo("UNAVAILABLE: connection refused");
  }

  @Test
  void aRateLimitsRetryHintReachesTheCallerCappedAndGarbageIgnored() {
    ApiException limited =
        GrpcStatuses.toApiException(RetryHint.exhausted("key ab", new RateLimit(1, 1), 1_500_000_000L));
    assertThat(limited.code()).isEqualTo(ApiException.Code.RESOURCE_EXHAUSTED);
    assertThat(limited.retryAfterMs()).isEqualTo(1_500);

    assertThat(GrpcStatuses.toApiException(Status.UNAVAILABLE.asRuntimeException()).retryAfterMs()).isZero();
    assertThat(GrpcStatuses.retryAfterMs(trailer("soon"))).isZero();
    assertThat(GrpcStatuses.retryAfterMs(trailer("-5"))).isZero();
    assertThat(GrpcStatuses.retryAfterMs(trailer("86400000"))).isEqualTo(GrpcStatuses.MAX_RETRY_AFTER_MS);
  }

  private static Metadata trailer(String value) {
    Metadata m = new Metadata();
    m.put(RetryHint.RETRY_AFTER_MS, value);
    return m;
  }
}
