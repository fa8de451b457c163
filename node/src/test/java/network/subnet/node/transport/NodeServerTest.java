package network.subnet.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.MinerGateway;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.testing.LoopbackValidator;
import network.subnet.node.testing.SampleWork;
import org.junit.jupiter.api.Test;

/**
 * Server lifecycle over Netty: ephemeral port, long-polls on virtual threads, draining and forced
 * stop.
 */
class NodeServerTest {

  private final LocalSigner miner = LocalSigner.generate();

  @Test
  void ephemeralPortIsExposedOnlyOnceStarted() throws Exception {
    NodeServer server = NodeServer.builder().port(0).build();
    assertThatThrownBy(server::port).hasMessageContaining("not started");
    server.start();
    try {
      assertThat(server.port()).isPositive();
      assertThat(server.target()).isEqualTo("127.0.0.1:" + server.port());
      assertThatThrownBy(server::start).hasMessageContaining("already started");
    } finally {
      server.stop();
      server.stop(); // idempotent
    }
  }

  @Test
  void healthTurnsNotServingAsSoonAsStopBegins() throws Exception {
    NodeServer server = NodeServer.builder().shutdownGrace(Duration.ofMillis(300)).build();
    server.start();
    ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
    BlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
    try {
      HealthGrpc.newStub(channel)
          .watch(
              HealthCheckRequest.getDefaultInstance(),
              new StreamObserver<>() {
                @Override
                public void onNext(HealthCheckResponse value) {
                  seen.add(value.getStatus());
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
              });
      assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
      Thread stopper = Thread.startVirtualThread(server::stop);
      assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
      stopper.join(5_000);
    } finally {
      channel.shutdownNow();
      server.stop();
    }
  }

  @Test
  void manyLongPollsWaitAtOnceWithoutExhaustingThreads() throws Exception {
    int polls = 200;
    CountDownLatch allWaiting = new CountDownLatch(polls);
    MinerGateway gateway =
        new LeaseOnly(
            (wait) -> {
              allWaiting.countDown();
              // Each poll holds its call until every other one is held too: only possible if none
              // waits for a thread.
              return allWaiting.await(10, TimeUnit.SECONDS)
                  ? List.of(SampleWork.distillLease("t"))
                  : List.of();
            });
    try (LoopbackValidator server = LoopbackValidator.start(gateway);
        GrpcValidatorApi api = server.connect(miner);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Lease>>> results = new ArrayList<>();
      for (int i = 0; i < polls; i++) {
        results.add(clients.submit(() -> api.lease(1, Duration.ofSeconds(5))));
      }
      for (Future<List<Lease>> f : results) {
        assertThat(f.get(20, TimeUnit.SECONDS)).hasSize(1);
      }
    }
  }

  @Test
  void stopLetsAnInFlightCallFinish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    MinerGateway gateway =
        new LeaseOnly(
            wait -> {
              entered.countDown();
              Thread.sleep(300);
              return List.of(SampleWork.distillLease("late"));
            });
    LoopbackValidator server = LoopbackValidator.start(gateway);
    try (GrpcValidatorApi api = server.connect(miner);
        ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Lease>> inFlight = client.submit(() -> api.lease(1, Duration.ofSeconds(1)));
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
      server.close();
      assertThat(inFlight.get(5, TimeUnit.SECONDS))
          .extracting(Lease::taskId)
          .containsExactly("late");
      assertThatThrownBy(() -> api.heartbeat(List.of()))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.code()).isEqualTo(ApiException.Code.UNAVAILABLE));
    }
  }

  @Test
  void stopCancelsCallsThatOutlastTheGracePeriod() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    MinerGateway gateway =
        new LeaseOnly(
            wait -> {
              entered.countDown();
              never.await();
              return List.of();
            });
    LoopbackValidator server =
        LoopbackValidator.start(
            gateway, NodeServer.builder().shutdownGrace(Duration.ofMillis(200)));
    try (GrpcValidatorApi api = server.connect(miner);
        ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Lease>> stuck = client.submit(() -> api.lease(1, Duration.ofSeconds(1)));
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      server.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThatThrownBy(() -> stuck.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ApiException.class);
    } finally {
      never.countDown();
    }
  }

  /** A gateway that only leases, through the given body; everything else is a test error. */
  private static final class LeaseOnly implements MinerGateway {
    interface Body {
      List<Lease> lease(Duration wait) throws Exception;
    }

    private final Body body;

    LeaseOnly(Body body) {
      this.body = body;
    }

    @Override
    public List<Lease> lease(PublicKey miner, int maxTasks, Duration wait) {
      try {
        return body.lease(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(ApiException.Code.UNAVAILABLE, "shutting down");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Registration register(PublicKey miner, Capabilities capabilities, String agent) {
      throw new UnsupportedOperationException("register");
    }

    @Override
    public SubmitOutcome submit(PublicKey miner, WorkResult result) {
      throw new UnsupportedOperationException("submit");
    }

    @Override
    public List<String> heartbeat(PublicKey miner, List<String> taskIdsInProgress) {
      return List.of();
    }
  }
}
