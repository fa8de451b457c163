package network.subnet.node.transport;

import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.MinerGateway;
import network.subnet.node.auth.AuthContext;
import network.subnet.proto.v1.HeartbeatRequest;
import network.subnet.proto.v1.HeartbeatResponse;
import network.subnet.proto.v1.LeaseRequest;
import network.subnet.proto.v1.LeaseResponse;
import network.subnet.proto.v1.MinerServiceGrpc;
import network.subnet.proto.v1.RegisterRequest;
import network.subnet.proto.v1.RegisterResponse;
import network.subnet.proto.v1.SubmitRequest;
import network.subnet.proto.v1.SubmitResponse;

/**
 * The validator's MinerService: unpacks each request, calls the {@link MinerGateway} as the
 * verified caller, packs the answer. Install it behind {@link
 * network.subnet.node.auth.ServerAuthInterceptor}, which supplies the caller.
 *
 * <p>A lease long-poll blocks the calling thread inside the gateway for at most {@link
 * #MAX_LEASE_WAIT}. That is cheap because {@link NodeServer} runs calls on virtual threads by
 * default; on a platform-thread executor size the pool for the number of miners expected to poll at
 * once.
 */
public final class MinerGrpcService extends MinerServiceGrpc.MinerServiceImplBase {

  public static final Duration MAX_LEASE_WAIT = Duration.ofSeconds(30);
  public static final int MAX_TASKS_PER_LEASE = 256;

  /** Told to a miner that got no task, so it does not spin when it asked for no wait. */
  public static final long EMPTY_LEASE_RETRY_AFTER_MS = 1_000;

  private final MinerGateway gateway;
  private final Clock clock;

  public MinerGrpcService(MinerGateway gateway, Clock clock) {
    this.gateway = gateway;
    this.clock = clock;
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<RegisterResponse> out) {
    respond(
        "Register",
        out,
        () -> {
          if (!request.hasCapabilities()) {
            throw ApiException.invalid("register.capabilities is missing");
          }
          String agent = request.getAgent();
          if (agent.length() > WireMapper.MAX_ID_LENGTH) {
            throw ApiException.invalid(
                "register.agent is longer than " + WireMapper.MAX_ID_LENGTH + " characters");
          }
          return WireMapper.toProto(
              gateway.register(
                  AuthContext.caller(),
                  WireMapper.capabilities(request.getCapabilities()),
                  agent,
                  AuthContext.REMOTE_ADDRESS.get()));
        });
  }

  @Override
  public void lease(LeaseRequest request, StreamObserver<LeaseResponse> out) {
    respond(
        "Lease",
        out,
        () -> {
          int maxTasks = WireMapper.unsigned(request.getMaxTasks(), "lease.max_tasks");
          if (maxTasks < 1 || maxTasks > MAX_TASKS_PER_LEASE) {
            throw ApiException.invalid(
                "lease.max_tasks must be in 1.." + MAX_TASKS_PER_LEASE + ", got " + maxTasks);
          }
          long waitMs = Integer.toUnsignedLong(request.getWaitMs());
          Duration wait = Duration.ofMillis(Math.min(waitMs, MAX_LEASE_WAIT.toMillis()));
          List<Lease> leases = gateway.lease(AuthContext.caller(), maxTasks, wait);
          LeaseResponse.Builder b = LeaseResponse.newBuilder();
          for (Lease lease : leases) {
            b.addTasks(WireMapper.toProto(lease));
          }
          if (leases.isEmpty()) {
            b.setRetryAfterMs(EMPTY_LEASE_RETRY_AFTER_MS);
          }
          return b.build();
        });
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> out) {
    respond(
        "Submit",
        out,
        () -> {
          if (!request.hasResult()) {
            throw ApiException.invalid("submit.result is missing");
          }
          return WireMapper.toProto(
              gateway.submit(AuthContext.caller(), WireMapper.workResult(request.getResult())));
        });
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
    respond(
        "Heartbeat",
        out,
        () -> {
          List<String> inProgress =
              WireMapper.ids(request.getTaskIdsInProgressList(), "heartbeat.task_ids_in_progress");
          List<String> cancelled = gateway.heartbeat(AuthContext.caller(), inProgress);
          return HeartbeatResponse.newBuilder()
              .setServerTimeMs(clock.millis())
              .addAllCancelledTaskIds(new ArrayList<>(cancelled))
              .build();
        });
  }

  private static <T> void respond(String method, StreamObserver<T> out, Supplier<T> body) {
    GrpcStatuses.respond(method, out, body);
  }

}
