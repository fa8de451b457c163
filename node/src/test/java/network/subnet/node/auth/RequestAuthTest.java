package network.subnet.node.auth;

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
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.Signer;
import network.subnet.node.testing.LyingSigner;
import network.subnet.node.testing.MutableClock;
import network.subnet.node.testing.RecordingMinerGateway;
import network.subnet.node.testing.SampleWork;
import network.subnet.node.transport.MinerGrpcService;
import network.subnet.node.transport.WireMapper;
import network.subnet.proto.v1.HeartbeatRequest;
import network.subnet.proto.v1.MinerServiceGrpc;
import network.subnet.proto.v1.MinerServiceGrpc.MinerServiceBlockingStub;
import network.subnet.proto.v1.RegisterRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The auth interceptors against an in-process server running the real MinerService over a recording
 * gateway.
 */
class RequestAuthTest {

  private static final long NOW = 1_700_000_000_000L;

  private final LocalSigner miner = LocalSigner.generate();
  private final MutableClock serverClock = new MutableClock(NOW);
  private final MutableClock clientClock = new MutableClock(NOW);
  private RecordingMinerGateway gateway;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void startServer() throws Exception {
    startServer(ReplayGuard.DEFAULT_CAPACITY);
  }

  private void startServer(int replayCapacity) throws Exception {
    startServer(replayCapacity, true);
  }

  private void startServer(int replayCapacity, boolean exactBytes) throws Exception {
    if (server != null) {
      tearDown();
    }
    gateway = new RecordingMinerGateway(LocalSigner.generate().publicKey());
    String name = InProcessServerBuilder.generateName();
    ServerAuthInterceptor auth =
        new ServerAuthInterceptor(
            serverClock, new ReplayGuard(Duration.ofSeconds(30), replayCapacity));
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                exactBytes
                    ? auth.protect(new MinerGrpcService(gateway, serverClock))
                    : ServerInterceptors.intercept(
                        new MinerGrpcService(gateway, serverClock), auth))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void tearDown() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void signedCallReachesTheServiceAsTheSigner() {
    signedStub(miner).register(register());
    signedStub(miner).heartbeat(HeartbeatRequest.newBuilder().addTaskIdsInProgress("t1").build());

    assertThat(gateway.calls)
        .extracting(RecordingMinerGateway.Call::caller)
        .containsOnly(miner.publicKey());
    assertThat(gateway.calls)
        .extracting(RecordingMinerGateway.Call::method)
        .containsExactly("register", "heartbeat");
  }

  @Test
  void unsignedCallIsRefused() {
    MinerServiceBlockingStub stub = MinerServiceGrpc.newBlockingStub(channel);
    assertRefused(
        () -> stub.register(register()),
        Status.Code.UNAUTHENTICATED,
        "header subnet-key is missing");
  }

  @Test
  void signatureByAnotherKeyIsRefused() {
    Signer lying = LyingSigner.claiming(miner.publicKey());
    assertRefused(
        () -> signedStub(lying).register(register()),
        Status.Code.UNAUTHENTICATED,
        "signature does not match key " + miner.publicKey().hex());
  }

  @Test
  void bodyChangedAfterSigningIsRefused() {
    Metadata headers = new Metadata();
    new ClientAuthInterceptor(miner, clientClock)
        .sign(
            headers,
            MinerServiceGrpc.getRegisterMethod().getFullMethodName(),
            BodyDigest.of(register().toByteArray()));
    RegisterRequest tampered = register().toBuilder().setAgent("someone-else/1.0").build();
    assertRefused(
        () -> withHeaders(headers).register(tampered),
        Status.Code.UNAUTHENTICATED,
        "signature does not match");
  }

  @Test
  void signatureForAnotherMethodIsRefused() {
    HeartbeatRequest request = HeartbeatRequest.getDefaultInstance();
    Metadata headers = new Metadata();
    new ClientAuthInterceptor(miner, clientClock)
        .sign(
            headers,
            MinerServiceGrpc.getLeaseMethod().getFullMethodName(),
            BodyDigest.of(request.toByteArray()));
    assertRefused(
        () -> withHeaders(headers).heartbeat(request),
        Status.Code.UNAUTHENTICATED,
        "signature does not match");
  }

  @Test
  void staleRequestIsRefusedWithTheSkew() {
    clientClock.set(NOW - 95_000);
    assertRefused(
        () -> signedStub(miner).register(register()),
        Status.Code.UNAUTHENTICATED,
        "request timestamp is 95 s old; clocks must agree within 30 s");
  }

  @Test
  void requestFromTheFutureIsRefused() {
    clientClock.set(NOW + 45_000);
    assertRefused(
        () -> signedStub(miner).register(register()),
        Status.Code.UNAUTHENTICATED,
        "45 s in the future");
  }

  @Test
  void requestWithinTheSkewIsAccepted() {
    clientClock.set(NOW - 29_000);
    signedStub(miner).register(register());
    assertThat(gateway.callsTo("register")).hasSize(1);
  }

  @Test
  void replayedRequestIsRefused() {
    AtomicReference<Metadata> sent = new AtomicReference<>();
    Channel capturing =
        ClientInterceptors.intercept(
            channel, capture(sent), new ClientAuthInterceptor(miner, clientClock));
    MinerServiceGrpc.newBlockingStub(capturing).register(register());

    assertRefused(
        () -> withHeaders(sent.get()).register(register()),
        Status.Code.UNAUTHENTICATED,
        "nonce already used");
    assertThat(gateway.callsTo("register")).hasSize(1);
  }

  @Test
  void fullReplayGuardTurnsRequestsAway() throws Exception {
    startServer(1);
    signedStub(miner).register(register());
    assertRefused(
        () -> signedStub(miner).register(register()),
        Status.Code.RESOURCE_EXHAUSTED,
        "retry later");
  }

  @Test
  void exactBytesVerifyEvenWhenTheSenderOrdersFieldsItsOwnWay() throws Exception {
    byte[] reordered = fieldsInReverseOrder();
    assertThat(rawRegister(reordered)).isNull();
    assertThat(gateway.callsTo("register")).hasSize(1);
  }

  @Test
  void reserializingInterceptorOnlyVerifiesCanonicalSenders() throws Exception {
    startServer(100, false);
    signedStub(miner).register(register());
    assertThat(gateway.callsTo("register")).hasSize(1);

    StatusRuntimeException refused = rawRegister(fieldsInReverseOrder());
    assertThat(refused.getStatus().getDescription()).contains("signature does not match");
  }

  /** A valid RegisterRequest encoding that is not the canonical one: field 2 before field 1. */
  private static byte[] fieldsInReverseOrder() throws Exception {
    RegisterRequest r = register();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    RegisterRequest.newBuilder().setAgent(r.getAgent()).build().writeTo(out);
    RegisterRequest.newBuilder().setCapabilities(r.getCapabilities()).build().writeTo(out);
    byte[] bytes = out.toByteArray();
    assertThat(RegisterRequest.parseFrom(bytes)).isEqualTo(r);
    assertThat(bytes).isNotEqualTo(r.toByteArray());
    return bytes;
  }

  /**
   * Sends {@code body} as a signed Register call, bytes untouched; returns the refusal, or null
   * when accepted.
   */
  private StatusRuntimeException rawRegister(byte[] body) {
    MethodDescriptor<byte[], byte[]> method =
        MinerServiceGrpc.getRegisterMethod().toBuilder(BYTES, BYTES).build();
    Metadata headers = new Metadata();
    new ClientAuthInterceptor(miner, clientClock)
        .sign(headers, method.getFullMethodName(), BodyDigest.of(body));
    Channel ch =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    try {
      io.grpc.stub.ClientCalls.blockingUnaryCall(ch, method, CallOptions.DEFAULT, body);
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public java.io.InputStream stream(byte[] value) {
          return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  @Test
  void garbledHeadersAreRefused() {
    Metadata good = new Metadata();
    new ClientAuthInterceptor(miner, clientClock)
        .sign(
            good,
            MinerServiceGrpc.getRegisterMethod().getFullMethodName(),
            BodyDigest.of(register().toByteArray()));

    assertRefused(
        () -> withHeaders(replace(good, AuthHeaders.KEY, "not-hex")).register(register()),
        Status.Code.UNAUTHENTICATED,
        "subnet-key is not a hex Ed25519 public key");
    assertRefused(
        () -> withHeaders(replace(good, AuthHeaders.TIMESTAMP, "yesterday")).register(register()),
        Status.Code.UNAUTHENTICATED,
        "subnet-timestamp-ms is not a decimal");
    assertRefused(
        () -> withHeaders(replace(good, AuthHeaders.NONCE, "abcd")).register(register()),
        Status.Code.UNAUTHENTICATED,
        "subnet-nonce must hold 16 bytes, got 2");
    assertRefused(
        () -> withHeaders(replace(good, AuthHeaders.SIGNATURE, "zz")).register(register()),
        Status.Code.UNAUTHENTICATED,
        "subnet-signature is not hex");
    assertThat(gateway.calls).isEmpty();
  }

  @Test
  void serviceWithoutTheInterceptorFailsLoudlyRatherThanServingAnonymously() {
    assertThatThrownBy(AuthContext::caller).hasMessageContaining("ServerAuthInterceptor");
  }

  private MinerServiceBlockingStub signedStub(Signer signer) {
    return MinerServiceGrpc.newBlockingStub(
        ClientInterceptors.intercept(channel, new ClientAuthInterceptor(signer, clientClock)));
  }

  private MinerServiceBlockingStub withHeaders(Metadata headers) {
    return MinerServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static RegisterRequest register() {
    return RegisterRequest.newBuilder()
        .setCapabilities(WireMapper.toProto(SampleWork.capabilities()))
        .setAgent("subnet-miner/0.1")
        .build();
  }

  private static Metadata replace(Metadata headers, Metadata.Key<String> key, String value) {
    Metadata copy = new Metadata();
    copy.merge(headers);
    copy.removeAll(key);
    copy.put(key, value);
    return copy;
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

  private static void assertRefused(Runnable call, Status.Code code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }
}
