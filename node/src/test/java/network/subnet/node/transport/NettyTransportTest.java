package network.subnet.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.WorkResult;
import network.subnet.node.auth.ClientAuthInterceptor;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.Signer;
import network.subnet.node.testing.LoopbackValidator;
import network.subnet.node.testing.LyingSigner;
import network.subnet.node.testing.RecordingMinerGateway;
import network.subnet.node.testing.SampleWork;
import network.subnet.proto.v1.MinerServiceGrpc;
import network.subnet.proto.v1.RegisterRequest;
import network.subnet.proto.v1.Result;
import network.subnet.proto.v1.SubmitRequest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole edge over real Netty on 127.0.0.1: GrpcValidatorApi -> NodeServer -> MinerGrpcService
 * -> gateway.
 */
class NettyTransportTest {

  private static final int MAX_MESSAGE = 1 << 20;

  private static final LocalSigner validator = LocalSigner.generate();
  private static final RecordingMinerGateway gateway =
      new RecordingMinerGateway(validator.publicKey());
  private static LoopbackValidator server;
  private static ManagedChannel raw;

  private final LocalSigner miner = LocalSigner.generate();

  @BeforeAll
  static void start() throws Exception {
    server =
        LoopbackValidator.start(gateway, NodeServer.builder().maxInboundMessageSize(MAX_MESSAGE));
    raw = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
  }

  @AfterAll
  static void stop() {
    raw.shutdownNow();
    server.close();
  }

  @BeforeEach
  void reset() {
    gateway.calls.clear();
    gateway.leases = List.of();
    gateway.failWith = null;
  }

  @Test
  void registerLeaseSubmitHeartbeatRoundTrip() {
    Lease distill = SampleWork.distillLease("task-d");
    Lease compress = SampleWork.compressLease("task-c", 16, 32);
    gateway.leases = List.of(distill, compress);
    gateway.cancelled = List.of("task-old");

    try (GrpcValidatorApi api = server.connect(miner)) {
      Registration reg = api.register(SampleWork.capabilities(), "subnet-miner/test");
      assertThat(reg.minerKey()).isEqualTo(miner.publicKey());
      assertThat(reg.validatorKey()).isEqualTo(validator.publicKey());

      List<Lease> leases = api.lease(2, Duration.ofMillis(100));
      assertThat(leases)
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactly(distill, compress);

      WorkResult result = SampleWork.distillResult(leases.get(0), miner);
      assertThat(api.submit(result).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
      assertThat(api.heartbeat(List.of("task-c"))).containsExactly("task-old");
    }

    assertThat(gateway.calls)
        .extracting(RecordingMinerGateway.Call::caller)
        .containsOnly(miner.publicKey());
    assertThat(gateway.callsTo("register").get(0).argument()).isEqualTo(SampleWork.capabilities());
    assertThat(gateway.callsTo("submit").get(0).argument())
        .usingRecursiveComparison()
        .isEqualTo(SampleWork.distillResult(SampleWork.distillLease("task-d"), miner));
    assertThat(gateway.callsTo("lease").get(0).argument()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void leaseWaitIsCappedAtTheServersLimit() {
    try (GrpcValidatorApi api = server.connect(miner)) {
      assertThat(api.lease(1, Duration.ZERO)).isEmpty();
    }
    MinerServiceGrpc.MinerServiceBlockingStub stub = signedStub(miner, Clock.systemUTC());
    stub.lease(
        network.subnet.proto.v1.LeaseRequest.newBuilder().setMaxTasks(1).setWaitMs(-1).build());
    assertThat(gateway.callsTo("lease"))
        .extracting(RecordingMinerGateway.Call::argument)
        .containsExactly(Duration.ZERO, MinerGrpcService.MAX_LEASE_WAIT);
  }

  @Test
  void badSignatureIsUnauthenticated() {
    Signer lying = LyingSigner.claiming(miner.publicKey());
    try (GrpcValidatorApi api = server.connect(lying)) {
      refused(
          () -> api.register(SampleWork.capabilities(), "x"),
          ApiException.Code.UNAUTHENTICATED,
          "signature does not match");
    }
    assertThat(gateway.calls).isEmpty();
  }

  @Test
  void staleTimestampIsUnauthenticated() {
    Clock behind = Clock.fixed(Instant.now().minusSeconds(95), ZoneOffset.UTC);
    try (GrpcValidatorApi api =
        GrpcValidatorApi.connect(
            server.target(), miner, ClientOptions.defaults().withClock(behind))) {
      refused(
          () -> api.heartbeat(List.of()),
          ApiException.Code.UNAUTHENTICATED,
          "clocks must agree within 30 s");
    }
  }

  @Test
  void replayedRequestIsRefused() {
    AtomicReference<Metadata> sent = new AtomicReference<>();
    Channel capturing =
        ClientInterceptors.intercept(
            raw, capture(sent), new ClientAuthInterceptor(miner, Clock.systemUTC()));
    RegisterRequest request =
        RegisterRequest.newBuilder()
            .setCapabilities(WireMapper.toProto(SampleWork.capabilities()))
            .build();
    MinerServiceGrpc.newBlockingStub(capturing).register(request);

    MinerServiceGrpc.MinerServiceBlockingStub replayer =
        MinerServiceGrpc.newBlockingStub(raw)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent.get()));
    assertThatThrownBy(() -> replayer.register(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("nonce already used"));
    assertThat(gateway.callsTo("register")).hasSize(1);
  }

  @Test
  void oversizedMessageIsRefusedAndTheServerKeepsServing() {
    Lease lease = SampleWork.compressLease("big", 2, 2);
    try (GrpcValidatorApi api = server.connect(miner)) {
      WorkResult huge = SampleWork.compressResult(lease, new byte[MAX_MESSAGE + 1024], miner);
      refused(() -> api.submit(huge), ApiException.Code.RESOURCE_EXHAUSTED, "");
      assertThat(api.register(SampleWork.capabilities(), "after").minerKey())
          .isEqualTo(miner.publicKey());
    }
    assertThat(gateway.callsTo("submit")).isEmpty();
  }

  @Test
  void malformedResultIsInvalidArgument() {
    Result good = WireMapper.toProto(SampleWork.distillResult(SampleWork.distillLease("t"), miner));
    Result bad =
        good.toBuilder().setSoftLabels(good.getSoftLabels().toBuilder().setTopK(0)).build();
    MinerServiceGrpc.MinerServiceBlockingStub stub = signedStub(miner, Clock.systemUTC());
    assertThatThrownBy(() -> stub.submit(SubmitRequest.newBuilder().setResult(bad).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains("soft_labels.top_k must be in 1..1024, got 0");
            });
  }

  @Test
  void domainRefusalKeepsItsCodeAndCrashesBecomeInternal() {
    try (GrpcValidatorApi api = server.connect(miner)) {
      gateway.failWith =
          m -> new ApiException(ApiException.Code.FAILED_PRECONDITION, "teacher mismatch in " + m);
      refused(
          () -> api.lease(1, Duration.ZERO),
          ApiException.Code.FAILED_PRECONDITION,
          "teacher mismatch in lease");

      gateway.failWith = m -> new IllegalStateException("boom");
      refused(
          () -> api.heartbeat(List.of()),
          ApiException.Code.INTERNAL,
          "Heartbeat failed inside the validator");

      gateway.failWith = null;
      assertThat(api.heartbeat(List.of())).isEmpty();
    }
  }

  @Test
  void unreachableValidatorIsUnavailable() throws Exception {
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    try (GrpcValidatorApi api =
        GrpcValidatorApi.connect(
            "127.0.0.1:" + freePort,
            miner,
            ClientOptions.defaults().withCallTimeout(Duration.ofSeconds(5)))) {
      refused(() -> api.heartbeat(List.of()), ApiException.Code.UNAVAILABLE, "");
    }
  }

  @Test
  void healthReportsServing() {
    HealthGrpc.HealthBlockingStub health =
        HealthGrpc.newBlockingStub(raw).withDeadlineAfter(5, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(
                    HealthCheckRequest.newBuilder()
                        .setService(MinerServiceGrpc.SERVICE_NAME)
                        .build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  private static MinerServiceGrpc.MinerServiceBlockingStub signedStub(Signer signer, Clock clock) {
    return MinerServiceGrpc.newBlockingStub(
            ClientInterceptors.intercept(raw, new ClientAuthInterceptor(signer, clock)))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static void refused(ThrowingCallable call, ApiException.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }

  private static ClientInterceptor capture(AtomicReference<Metadata> sent) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            Metadata copy = new Metadata();
            copy.merge(headers);
            sent.set(copy);
            super.start(listener, headers);
          }
        };
      }
    };
  }
}
