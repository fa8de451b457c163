package network.subnet.validator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.auth.AuthHeaders;
import network.subnet.node.auth.RequestSignature;
import network.subnet.node.codec.ActivationCodec;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.node.transport.WireMapper;
import network.subnet.proto.v1.LeaseRequest;
import network.subnet.proto.v1.SubmitRequest;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed requests against a live validator (Netty on loopback, RocksDB ledger), sent as raw bytes through a
 * byte-array {@link MethodDescriptor} so that the bytes need not be valid protobuf, with signature headers built by
 * hand so that they can be wrong. Each case expects the status code of the README's "Error codes" table, and after
 * each one an honest miner still leases and submits.
 */
class MalformedRequestTest {

  private static final String SERVICE = "subnet.v1.MinerService";
  private static final HexFormat HEX = HexFormat.of();
  private static final MethodDescriptor.Marshaller<byte[]> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  @TempDir static Path dir;

  private static RocksDbStorage storage;
  private static ValidatorServer server;
  private static ManagedChannel channel;
  private static LocalSigner honest;
  private static GrpcValidatorApi honestApi;
  /** Registered, but sends its requests by hand. */
  private static LocalSigner hostile;

  private static LocalSigner compressor;
  private static GrpcValidatorApi compressorApi;

  @BeforeAll
  static void startValidator() throws Exception {
    storage = RocksDbStorage.open(dir.resolve("ledger"));
    ValidatorNode node =
        new ValidatorNode(
            ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16),
            storage,
            LocalSigner.generate(),
            System::currentTimeMillis);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      tasks.add(Fixtures.task(i));
    }
    tasks.add(Fixtures.compressTask(7, 4, 16, 0.99));
    node.addTasks(tasks);
    server = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC());
    server.start();
    channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();

    honest = LocalSigner.generate();
    honestApi = GrpcValidatorApi.connect(server.target(), honest, ClientOptions.defaults());
    honestApi.register(Fixtures.capabilities(Fixtures.TEACHER), "honest");
    hostile = LocalSigner.generate();
    try (GrpcValidatorApi api = GrpcValidatorApi.connect(server.target(), hostile, ClientOptions.defaults())) {
      api.register(Fixtures.capabilities(Fixtures.TEACHER), "hostile");
    }
    compressor = LocalSigner.generate();
    compressorApi = GrpcValidatorApi.connect(server.target(), compressor, ClientOptions.defaults());
    compressorApi.register(
        new Capabilities(
            Set.of(TaskKind.COMPRESS),
            null,
            CodecRegistry.standard().codecs().stream().map(ActivationCodec::key).toList(),
            1),
        "compressor");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    compressorApi.close();
    honestApi.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
    storage.close();
  }

  /** Whatever the case before sent, the validator still leases and credits honest work. */
  @AfterEach
  void honestMinerIsStillServed() {
    List<Lease> leases = honestApi.lease(1, Duration.ofSeconds(2));
    assertThat(leases).hasSize(1);
    Lease lease = leases.get(0);
    WorkResult result = Fixtures.signed(honest, lease, Fixtures.honest(lease.distill()));
    assertThat(honestApi.submit(result).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
  }

  // ------------------------------------------------------------------ authentication

  @Test
  void unsignedRequestIsUnauthenticated() {
    assertStatus(call("Lease", leaseBody(), new Metadata()), Status.Code.UNAUTHENTICATED, "not signed");
  }

  @Test
  void malformedKeyHeaderIsUnauthenticated() {
    Metadata h = signed(hostile, "Lease", leaseBody());
    h.put(AuthHeaders.KEY, "zz-not-hex");
    assertStatus(call("Lease", leaseBody(), h), Status.Code.UNAUTHENTICATED, AuthHeaders.KEY.name());
  }

  @Test
  void badSignatureIsUnauthenticated() {
    Metadata h = signed(hostile, "Lease", leaseBody());
    byte[] sig = HEX.parseHex(h.get(AuthHeaders.SIGNATURE));
    sig[5] ^= 1;
    h.put(AuthHeaders.SIGNATURE, HEX.formatHex(sig));
    assertStatus(call("Lease", leaseBody(), h), Status.Code.UNAUTHENTICATED, "signature does not match");
  }

  @Test
  void signatureOverAnotherBodyIsUnauthenticated() {
    Metadata h = signed(hostile, "Lease", leaseBody());
    byte[] other = LeaseRequest.newBuilder().setMaxTasks(2).build().toByteArray();
    assertStatus(call("Lease", other, h), Status.Code.UNAUTHENTICATED, "signature does not match");
  }

  @Test
  void signatureOfAnotherKeyIsUnauthenticated() {
    Metadata h = signed(LocalSigner.generate(), "Lease", leaseBody());
    h.put(AuthHeaders.KEY, hostile.publicKey().hex());
    assertStatus(call("Lease", leaseBody(), h), Status.Code.UNAUTHENTICATED, "signature does not match");
  }

  @Test
  void replayedNonceIsUnauthenticated() {
    byte[] body = heartbeatBody();
    Metadata h = signed(hostile, "Heartbeat", body);
    assertThat(call("Heartbeat", body, h).isOk()).isTrue();
    assertStatus(call("Heartbeat", body, h), Status.Code.UNAUTHENTICATED, "replayed");
  }

  @Test
  void staleTimestampIsUnauthenticated() {
    long old = System.currentTimeMillis() - Duration.ofMinutes(5).toMillis();
    Metadata h = signed(hostile, "Heartbeat", heartbeatBody(), old, freshNonce());
    assertStatus(call("Heartbeat", heartbeatBody(), h), Status.Code.UNAUTHENTICATED, "s old");
  }

  @Test
  void futureTimestampIsUnauthenticated() {
    long ahead = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
    Metadata h = signed(hostile, "Heartbeat", heartbeatBody(), ahead, freshNonce());
    assertStatus(call("Heartbeat", heartbeatBody(), h), Status.Code.UNAUTHENTICATED, "in the future");
  }

  // ------------------------------------------------------------------ malformed bodies, correctly signed

  @Test
  void truncatedMessageIsInvalidArgument() {
    byte[] whole = submitBody(hostileResult());
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    assertStatus(signedCall(hostile, "Submit", truncated), Status.Code.INVALID_ARGUMENT, "not a valid");
  }

  @Test
  void garbageBytesAreInvalidArgument() {
    byte[] garbage = new byte[64];
    new java.util.Random(5).nextBytes(garbage);
    garbage[0] = (byte) 0xFF; // field 31, wire type 7: no such wire type
    assertStatus(signedCall(hostile, "Submit", garbage), Status.Code.INVALID_ARGUMENT, "not a valid");
  }

  @Test
  void messageFieldSentAsVarintIsInvalidArgument() {
    // SubmitRequest.result (field 1, a message) as wire type 0: protobuf keeps it as an unknown field.
    byte[] body = {0x08, 0x05};
    assertStatus(signedCall(hostile, "Submit", body), Status.Code.INVALID_ARGUMENT, "submit.result is missing");
  }

  @Test
  void integerFieldSentAsBytesIsInvalidArgument() {
    // LeaseRequest.max_tasks (field 1, uint32) as wire type 2.
    byte[] body = {0x0A, 0x02, 0x01, 0x02};
    assertStatus(signedCall(hostile, "Lease", body), Status.Code.INVALID_ARGUMENT, "lease.max_tasks");
  }

  @Test
  void hugeDeclaredLengthIsInvalidArgument() throws IOException {
    // SubmitRequest.result declared 2 GiB - 1 long, followed by a few bytes.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeTag(1, 2);
    c.writeUInt32NoTag(Integer.MAX_VALUE);
    c.writeRawBytes(new byte[] {1, 2, 3, 4});
    c.flush();
    assertStatus(signedCall(hostile, "Submit", out.toByteArray()), Status.Code.INVALID_ARGUMENT, "not a valid");
  }

  @Test
  void emptyBodyIsInvalidArgument() {
    assertStatus(signedCall(hostile, "Submit", new byte[0]), Status.Code.INVALID_ARGUMENT, "submit.result");
  }

  @Test
  void softLabelsDeclaringHugeSizeOnTinyBodyAreInvalidArgument() {
    Lease lease = hostileLease();
    byte[] packed =
        ByteBuffer.allocate(20)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(0x534c4231)
            .putInt(SoftLabelCodec.FORMAT_COMPACT)
            .putInt(WireMapper.MAX_POSITIONS)
            .putInt(WireMapper.MAX_TOP_K)
            .array();
    WorkResult r =
        signedResult(
            lease, new WorkResult.PackedSoftLabels(WireMapper.MAX_POSITIONS, WireMapper.MAX_TOP_K, 2, packed));
    assertStatus(signedCall(hostile, "Submit", submitBody(r)), Status.Code.INVALID_ARGUMENT, "positions");
  }

  @Test
  void compressBlobDeclaringHugeShapeOnTinyDataIsInvalidArgument() {
    List<Lease> leases = compressorApi.lease(1, Duration.ofSeconds(2));
    assertThat(leases).hasSize(1);
    Lease lease = leases.get(0);
    // A codec blob header ("SNCB", zstd/1, bf16) declaring [2^20, 2^20] and no payload worth the name.
    byte[] blob = {'S', 'N', 'C', 'B', 1, 1, 3, 2, (byte) 0x80, (byte) 0x80, 0x40, (byte) 0x80, (byte) 0x80, 0x40, 0};
    WorkResult r = Fixtures.signedBlob(compressor, lease, "zstd/1", blob);
    assertStatus(signedCall(compressor, "Submit", submitBody(r)), Status.Code.INVALID_ARGUMENT, "above the limit");
  }

  // ------------------------------------------------------------------ well-formed but wrong

  @Test
  void unknownTaskIsNotFound() {
    Lease lease = hostileLease();
    WorkResult r = Fixtures.signed(hostile, "no-such-task", lease.leaseNonce(), Fixtures.MODEL,
        Fixtures.honest(lease.distill()));
    assertStatus(signedCall(hostile, "Submit", submitBody(r)), Status.Code.NOT_FOUND, "no-such-task");
  }

  @Test
  void unknownLeaseNonceIsNotFound() {
    Lease lease = hostileLease();
    WorkResult r = Fixtures.signed(hostile, lease.taskId(), new byte[16], Fixtures.MODEL,
        Fixtures.honest(lease.distill()));
    assertStatus(signedCall(hostile, "Submit", submitBody(r)), Status.Code.NOT_FOUND, "lease");
  }

  @Test
  void resultSignedByAnotherKeyIsUnauthenticated() {
    Lease lease = hostileLease();
    WorkResult r = Fixtures.signed(LocalSigner.generate(), lease, Fixtures.honest(lease.distill()));
    assertStatus(signedCall(hostile, "Submit", submitBody(r)), Status.Code.UNAUTHENTICATED, "signature");
  }

  @Test
  void unregisteredKeyCannotLease() {
    LocalSigner stranger = LocalSigner.generate();
    assertStatus(signedCall(stranger, "Lease", leaseBody()), Status.Code.FAILED_PRECONDITION, "register");
  }

  /** A stranger's result for another miner's lease is refused on the lease, whoever signed it. */
  @Test
  void unregisteredKeyCannotSubmit() {
    Lease lease = hostileLease();
    LocalSigner stranger = LocalSigner.generate();
    WorkResult r = Fixtures.signed(stranger, lease, Fixtures.honest(lease.distill()));
    assertStatus(signedCall(stranger, "Submit", submitBody(r)), Status.Code.PERMISSION_DENIED, "another miner");
  }

  @Test
  void unknownMethodIsUnimplemented() {
    assertStatus(signedCall(hostile, "Mine", leaseBody()), Status.Code.UNIMPLEMENTED, "");
  }

  @Test
  void garbageToThePublicQueryServiceIsInvalidArgument() {
    byte[] body = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1};
    assertStatus(
        call("subnet.v1.QueryService", "GetMinerStatus", body, new Metadata()),
        Status.Code.INVALID_ARGUMENT,
        "not a valid");
  }

  // ------------------------------------------------------------------ helpers

  private static Status call(String method, byte[] body, Metadata headers) {
    return call(SERVICE, method, body, headers);
  }

  private static Status call(String service, String method, byte[] body, Metadata headers) {
    MethodDescriptor<byte[], byte[]> md =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
            .setRequestMarshaller(RAW)
            .setResponseMarshaller(RAW)
            .build();
    try {
      ClientCalls.blockingUnaryCall(
          ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
          md,
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          body);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private static Status signedCall(LocalSigner who, String method, byte[] body) {
    return call(method, body, signed(who, method, body));
  }

  private static Metadata signed(LocalSigner who, String method, byte[] body) {
    return signed(who, method, body, System.currentTimeMillis(), freshNonce());
  }

  private static Metadata signed(LocalSigner who, String method, byte[] body, long timestampMs, byte[] nonce) {
    String fullName = MethodDescriptor.generateFullMethodName(SERVICE, method);
    byte[] payload = RequestSignature.payload(fullName, sha256(body), timestampMs, nonce);
    Metadata h = new Metadata();
    h.put(AuthHeaders.KEY, who.publicKey().hex());
    h.put(AuthHeaders.TIMESTAMP, Long.toString(timestampMs));
    h.put(AuthHeaders.NONCE, HEX.formatHex(nonce));
    h.put(AuthHeaders.SIGNATURE, HEX.formatHex(who.sign(payload)));
    return h;
  }

  private static void assertStatus(Status status, Status.Code code, String descriptionPart) {
    assertThat(status.getCode()).as(String.valueOf(status.getDescription())).isEqualTo(code);
    assertThat(status.getDescription()).contains(descriptionPart);
  }

  private static byte[] leaseBody() {
    return LeaseRequest.newBuilder().setMaxTasks(1).build().toByteArray();
  }

  private static byte[] heartbeatBody() {
    return network.subnet.proto.v1.HeartbeatRequest.getDefaultInstance().toByteArray();
  }

  private static byte[] submitBody(WorkResult r) {
    return SubmitRequest.newBuilder().setResult(WireMapper.toProto(r)).build().toByteArray();
  }

  /** A task leased to the hostile miner over its own (correctly signed) raw call. */
  private static Lease hostileLease() {
    try (GrpcValidatorApi api = GrpcValidatorApi.connect(server.target(), hostile, ClientOptions.defaults())) {
      List<Lease> leases = api.lease(1, Duration.ofSeconds(2));
      assertThat(leases).hasSize(1);
      return leases.get(0);
    }
  }

  private static WorkResult hostileResult() {
    Lease lease = hostileLease();
    return Fixtures.signed(hostile, lease, Fixtures.honest(lease.distill()));
  }

  private static WorkResult signedResult(Lease lease, WorkResult.PackedSoftLabels packed) {
    WorkResult unsigned = new WorkResult(lease.taskId(), lease.leaseNonce(), Fixtures.MODEL, TaskKind.DISTILL, packed,
        null, Fixtures.TEACHER, 1, new byte[64]);
    return Fixtures.withSignature(
        unsigned, hostile.sign(network.subnet.node.results.ResultDigest.of(unsigned, hostile.publicKey())));
  }

  private static byte[] freshNonce() {
    byte[] nonce = new byte[RequestSignature.NONCE_LENGTH];
    new java.security.SecureRandom().nextBytes(nonce);
    return nonce;
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
