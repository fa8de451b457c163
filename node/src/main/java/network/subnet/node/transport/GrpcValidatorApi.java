package network.subnet.node.transport;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.ValidatorApi;
import network.subnet.node.api.WorkResult;
import network.subnet.node.auth.ClientAuthInterceptor;
import network.subnet.node.identity.Signer;
import network.subnet.proto.v1.HeartbeatRequest;
import network.subnet.proto.v1.LeaseRequest;
import network.subnet.proto.v1.LeaseResponse;
import network.subnet.proto.v1.MinerServiceGrpc;
import network.subnet.proto.v1.RegisterRequest;
import network.subnet.proto.v1.SubmitRequest;
import network.subnet.proto.v1.Task;

/**
 * The miner's {@link ValidatorApi} over gRPC. Every call is signed with the miner's key and carries
 * a deadline; a failed call surfaces as an {@link ApiException} with the status's code, UNAVAILABLE
 * when the validator cannot be reached, so the miner can back off and retry.
 *
 * <p>The channel is TLS pinned to the validator's certificate fingerprint ({@link
 * ChannelSecurity#pinned}) or, when the operator asked for it, plaintext. Signing is the same either
 * way: TLS adds confidentiality and stops anyone in between from answering in the validator's name.
 */
public final class GrpcValidatorApi implements ValidatorApi {

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final ManagedChannel channel;
  private final MinerServiceGrpc.MinerServiceBlockingStub stub;
  private final ClientOptions options;

  private GrpcValidatorApi(ManagedChannel channel, Signer signer, ClientOptions options) {
    this.channel = channel;
    Channel signed =
        ClientInterceptors.intercept(channel, new ClientAuthInterceptor(signer, options.clock()));
    this.stub = MinerServiceGrpc.newBlockingStub(signed);
    this.options = options;
  }

  /**
   * Dials {@code hostPort} ("host:port") over Netty in plaintext, as {@code --insecure} does: for
   * loopback tests. The connection is made lazily, on the first call.
   */
  public static GrpcValidatorApi connect(String hostPort, Signer signer, ClientOptions options) {
    return connect(hostPort, signer, options, ChannelSecurity.insecure());
  }

  /**
   * Dials {@code hostPort} ("host:port") over Netty with {@code security}. The connection is made
   * lazily, on the first call.
   */
  public static GrpcValidatorApi connect(
      String hostPort, Signer signer, ClientOptions options, ChannelSecurity security) {
    ManagedChannel channel =
        security
            .apply(NettyChannelBuilder.forTarget(hostPort))
            .maxInboundMessageSize(options.maxInboundMessageSize())
            .keepAliveTime(options.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveWithoutCalls(true)
            .build();
    return new GrpcValidatorApi(channel, signer, options);
  }

  /**
   * Over a channel built elsewhere (in-process tests, TLS); closing this API shuts the channel
   * down.
   */
  public static GrpcValidatorApi over(
      ManagedChannel channel, Signer signer, ClientOptions options) {
    return new GrpcValidatorApi(channel, signer, options);
  }

  @Override
  public Registration register(Capabilities capabilities, String agent) {
    RegisterRequest request =
        RegisterRequest.newBuilder()
            .setCapabilities(WireMapper.toProto(capabilities))
            .setAgent(agent)
            .build();
    return call(
        () -> WireMapper.registration(withDeadline(options.callTimeout()).register(request)));
  }

  @Override
  public List<Lease> lease(int maxTasks, Duration wait) {
    if (maxTasks < 1) {
      throw ApiException.invalid("maxTasks must be at least 1, got " + maxTasks);
    }
    if (wait.isNegative()) {
      throw ApiException.invalid("lease wait must not be negative, got " + wait);
    }
    Duration capped =
        wait.compareTo(MinerGrpcService.MAX_LEASE_WAIT) > 0
            ? MinerGrpcService.MAX_LEASE_WAIT
            : wait;
    LeaseRequest request =
        LeaseRequest.newBuilder().setMaxTasks(maxTasks).setWaitMs((int) capped.toMillis()).build();
    return call(
        () -> {
          LeaseResponse response = withDeadline(capped.plus(options.leaseMargin())).lease(request);
          List<Lease> leases = new ArrayList<>(response.getTasksCount());
          for (Task task : response.getTasksList()) {
            leases.add(WireMapper.lease(task));
          }
          return List.copyOf(leases);
        });
  }

  @Override
  public SubmitOutcome submit(WorkResult result) {
    SubmitRequest request =
        SubmitRequest.newBuilder().setResult(WireMapper.toProto(result)).build();
    return call(
        () -> WireMapper.submitOutcome(withDeadline(options.callTimeout()).submit(request)));
  }

  @Override
  public List<String> heartbeat(List<String> taskIdsInProgress) {
    HeartbeatRequest request =
        HeartbeatRequest.newBuilder().addAllTaskIdsInProgress(taskIdsInProgress).build();
    return call(
        () ->
            List.copyOf(
                withDeadline(options.callTimeout()).heartbeat(request).getCancelledTaskIdsList()));
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private MinerServiceGrpc.MinerServiceBlockingStub withDeadline(Duration timeout) {
    return stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE) {
        // The miner paces its retries with its own jittered backoff; without this the channel would add its own
        // (growing to minutes) on top, and a restarted validator would wait for miners long after it is back.
        channel.resetConnectBackoff();
      }
      throw GrpcStatuses.toApiException(e);
    } catch (ApiException e) {
      // Raised while decoding the answer: the validator, not this miner, sent something malformed.
      throw new ApiException(
          ApiException.Code.INTERNAL, "validator sent a malformed response: " + e.getMessage(), e);
    }
  }
}
