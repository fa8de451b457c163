package network.subnet.miner.daemon;

import static network.subnet.node.testing.MetricsScrape.scrape;
import static network.subnet.node.testing.MetricsScrape.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.Lease;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.ValidatorApi;
import network.subnet.node.api.WorkResult;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.DecodedTensor;
import network.subnet.node.codec.Similarity;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.metrics.MetricsServer;
import network.subnet.node.metrics.PrometheusMetrics;
import network.subnet.node.results.ResultDigest;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import network.subnet.node.testing.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The miner's work loop against a scripted validator: outages, retries, signatures and draining on stop. */
class MinerDaemonTest {

  private static MistralTeacher teacher;

  @BeforeAll
  static void loadTeacher() throws Exception {
    teacher = MistralTeacher.load(TinyModels.checkpoint(), new TeacherOptions(TeacherOptions.CPU, 1, 4096));
  }

  @AfterAll
  static void closeTeacher() {
    teacher.close();
  }

  @Test
  void ridesThroughAnOutageAndSubmitsSignedResultsForEveryLease() throws Exception {
    LocalSigner signer = LocalSigner.generate();
    ScriptedValidator validator = new ScriptedValidator(signer, 3);
    validator.failNextCalls.set(3); // the validator is away at first: register fails three times
    validator.failNextSubmits.set(2); // and again while the first result is submitted

    PrometheusMetrics metrics = new PrometheusMetrics("miner");
    MinerDaemon daemon = new MinerDaemon(validator, teacher, signer, config(), metrics);
    daemon.start();
    assertThat(validator.allSubmitted.await(30, TimeUnit.SECONDS)).isTrue();
    daemon.stop();
    try (MetricsServer endpoint = new MetricsServer(metrics, "127.0.0.1", 0)) {
      endpoint.start();
      String text = scrape(endpoint.port());
      assertThat(value(text, "subnet_tasks_leased_total{kind=\"distill\"}")).isEqualTo(3);
      assertThat(value(text, "subnet_results_accepted_total{kind=\"distill\"}")).isEqualTo(3);
      assertThat(value(text, "subnet_tokens_labelled_total")).isEqualTo(18);
      assertThat(value(text, "subnet_lease_latency_seconds_count")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "subnet_node_info{role=\"miner\"}")).isEqualTo(1);
    }

    assertThat(validator.registrations.get()).isGreaterThanOrEqualTo(1);
    assertThat(validator.submitted).extracting(WorkResult::taskId).containsExactlyInAnyOrder("t0", "t1", "t2");
    for (WorkResult r : validator.submitted) {
      assertThat(signer.publicKey().verify(ResultDigest.of(r, signer.publicKey()), r.signature())).isTrue();
      assertThat(SoftLabelCodec.decode(r.softLabels()).positions()).isEqualTo(6);
      assertThat(r.teacher()).isEqualTo(teacher.spec());
    }
    assertThat(daemon.stats().submitted()).isEqualTo(3);
  }

  @Test
  void stopDrainsTheBatchInHand() throws Exception {
    LocalSigner signer = LocalSigner.generate();
    ScriptedValidator validator = new ScriptedValidator(signer, 2);
    validator.holdLeaseUntilStop = new CountDownLatch(1);
    MinerDaemon daemon = new MinerDaemon(validator, teacher, signer, config());
    daemon.start();
    assertThat(validator.leaseCalled.await(10, TimeUnit.SECONDS)).isTrue();

    // Stop while the lease call is in flight: the tasks it returns are still labelled and submitted.
    Thread stopper = new Thread(daemon::stop);
    stopper.start();
    Thread.sleep(100);
    validator.holdLeaseUntilStop.countDown();
    stopper.join(30_000);

    assertThat(validator.submitted).extracting(WorkResult::taskId).containsExactlyInAnyOrder("t0", "t1");
  }

  @Test
  void aRateLimitedSubmitWaitsAsLongAsTheValidatorAsked() throws Exception {
    LocalSigner signer = LocalSigner.generate();
    ScriptedValidator validator = new ScriptedValidator(signer, 1);
    validator.rateLimitNextSubmitMs = 1_500; // far above the miner's own first backoff of 200 ms
    MinerDaemon daemon = new MinerDaemon(validator, teacher, signer, config());
    daemon.start();
    assertThat(validator.allSubmitted.await(30, TimeUnit.SECONDS)).isTrue();
    daemon.stop();
    assertThat(validator.submitTimesMs).hasSize(2);
    assertThat(validator.submitTimesMs.get(1) - validator.submitTimesMs.get(0)).isGreaterThanOrEqualTo(1_500);
    assertThat(daemon.stats().refused()).isZero();
  }

  @Test
  void aResultIsStillRetriedPastItsLeaseDeadlineUntilTheValidatorAnswers() throws Exception {
    LocalSigner signer = LocalSigner.generate();
    ScriptedValidator validator = new ScriptedValidator(signer, 1);
    Lease original = validator.pending.remove(0);
    // The validator may have stored the result before it went away: only its answer can tell, deadline or not.
    long deadline = System.currentTimeMillis() + 300;
    validator.pending.add(
        new Lease(original.taskId(), original.leaseNonce(), deadline, original.kind(), original.distill(), null));
    validator.failNextSubmits.set(4);
    MinerDaemon daemon = new MinerDaemon(validator, teacher, signer, config());
    daemon.start();
    assertThat(validator.allSubmitted.await(30, TimeUnit.SECONDS)).isTrue();
    daemon.stop();
    assertThat(validator.submitTimesMs.get(validator.submitTimesMs.size() - 1)).isGreaterThan(deadline);
    assertThat(validator.submitAttempts.get()).isEqualTo(5);
    assertThat(daemon.stats().refused()).isZero();
  }

  @Test
  void honouringTakesTheLongerOfBackoffAndHint() {
    ApiException hinted = new ApiException(ApiException.Code.RESOURCE_EXHAUSTED, "slow down", null, 900);
    assertThat(MinerDaemon.honouring(Duration.ofMillis(200), hinted)).isEqualTo(Duration.ofMillis(900));
    assertThat(MinerDaemon.honouring(Duration.ofMillis(2_000), hinted)).isEqualTo(Duration.ofMillis(2_000));
    ApiException plain = new ApiException(ApiException.Code.UNAVAILABLE, "away");
    assertThat(MinerDaemon.honouring(Duration.ofMillis(200), plain)).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aRefusedResultIsNotRetried() throws Exception {
    LocalSigner signer = LocalSigner.generate();
    ScriptedValidator validator = new ScriptedValidator(signer, 1);
    validator.refuseSubmits = true;
    MinerDaemon daemon = new MinerDaemon(validator, teacher, signer, config());
    daemon.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (daemon.stats().refused() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    daemon.stop();
    assertThat(daemon.stats().refused()).isEqualTo(1);
    assertThat(validator.submitAttempts.get()).isEqualTo(1);
  }

  @Test
  void compressesWithTheSmallestCodecAtTheFloorAndSkipsWhatItCannotMeet() throws Exception {
    LocalSigner signer = LocalSigner.generate();
    ScriptedValidator validator = new ScriptedValidator(signer, 0);
    DenseTensor activations = SyntheticActivations.tensor(SyntheticActivations.Kind.GAUSSIAN, 8, 64, DType.BF16, 3);
    long deadline = System.currentTimeMillis() + 60_000;
    validator.pending.add(new Lease("c0", new byte[16], deadline, TaskKind.COMPRESS, null,
        new CompressSpec(activations, 0.99, List.of("zstd/1", "quant/2"))));
    validator.pending.add(new Lease("c1", new byte[] {1}, deadline, TaskKind.COMPRESS, null,
        new CompressSpec(activations, 0.99, List.of("unheard-of/1"))));
    PrometheusMetrics metrics = new PrometheusMetrics("miner");
    MinerDaemon daemon = new MinerDaemon(validator, teacher, signer, config(), metrics);
    daemon.start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((daemon.stats().submitted() < 1 || daemon.stats().skipped() < 1) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    daemon.stop();
    try (MetricsServer endpoint = new MetricsServer(metrics, "127.0.0.1", 0)) {
      endpoint.start();
      String text = scrape(endpoint.port());
      assertThat(value(text, "subnet_tasks_leased_total{kind=\"compress\"}")).isEqualTo(2);
      assertThat(value(text, "subnet_tasks_failed_total{kind=\"compress\"}")).as("skipped").isEqualTo(1);
      assertThat(value(text, "subnet_codec_ratio_count{codec=\"quant/2\"}")).isEqualTo(1);
      assertThat(value(text, "subnet_codec_ratio_sum{codec=\"quant/2\"}")).isGreaterThan(1.5);
    }

    assertThat(validator.capabilities.kinds()).containsExactlyInAnyOrder(TaskKind.DISTILL, TaskKind.COMPRESS);
    assertThat(validator.capabilities.codecs()).contains("zstd/1", "plane/1", "quant/2", "e8/1");
    assertThat(daemon.stats().skipped()).as("no allowed codec it knows").isEqualTo(1);
    assertThat(validator.submitted).hasSize(1);
    WorkResult r = validator.submitted.get(0);
    assertThat(r.taskId()).isEqualTo("c0");
    assertThat(r.kind()).isEqualTo(TaskKind.COMPRESS);
    assertThat(r.compressed().codec()).isEqualTo("quant/2");
    assertThat(signer.publicKey().verify(ResultDigest.of(r, signer.publicKey()), r.signature())).isTrue();
    DecodedTensor decoded = CodecRegistry.standard().decode(r.compressed().blob(), activations.shape());
    float[] original = CodecRegistry.standard().check(activations).values();
    assertThat(Similarity.apex(original, decoded.values())).isGreaterThanOrEqualTo(0.99);
  }

  private static MinerConfig config() {
    return new MinerConfig("in-process", null, null, "cpu", 4, Duration.ofMillis(200), Duration.ofSeconds(20),
        Duration.ofSeconds(60));
  }

  /** A validator that hands out a fixed set of tasks once and records what comes back. */
  private static final class ScriptedValidator implements ValidatorApi {
    final AtomicInteger failNextCalls = new AtomicInteger();
    final AtomicInteger failNextSubmits = new AtomicInteger();
    final AtomicInteger registrations = new AtomicInteger();
    final AtomicInteger submitAttempts = new AtomicInteger();
    final List<WorkResult> submitted = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch allSubmitted;
    final CountDownLatch leaseCalled = new CountDownLatch(1);
    volatile CountDownLatch holdLeaseUntilStop;
    volatile boolean refuseSubmits;
    volatile long rateLimitNextSubmitMs;
    final List<Long> submitTimesMs = Collections.synchronizedList(new ArrayList<>());
    private final LocalSigner validatorKey = LocalSigner.generate();
    final List<Lease> pending = new ArrayList<>();
    volatile Capabilities capabilities;

    ScriptedValidator(LocalSigner miner, int tasks) {
      for (int i = 0; i < tasks; i++) {
        int[] tokens = {1, 20 + i, 30, 40, 50, 60};
        byte[] nonce = new byte[16];
        nonce[0] = (byte) i;
        pending.add(new Lease("t" + i, nonce, System.currentTimeMillis() + 60_000, TaskKind.DISTILL,
            new DistillSpec(tokens, 8, 1.0f, teacher.spec().modelHash(), teacher.spec().tokenizerHash()), null));
      }
      allSubmitted = new CountDownLatch(tasks);
    }

    private void maybeAway() {
      if (failNextCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new ApiException(ApiException.Code.UNAVAILABLE, "validator away");
      }
    }

    @Override
    public Registration register(Capabilities capabilities, String agent) {
      maybeAway();
      registrations.incrementAndGet();
      this.capabilities = capabilities;
      return new Registration(null, validatorKey.publicKey(), System.currentTimeMillis(), 60_000);
    }

    @Override
    public synchronized List<Lease> lease(int maxTasks, Duration wait) {
      maybeAway();
      leaseCalled.countDown();
      if (holdLeaseUntilStop != null) {
        try {
          holdLeaseUntilStop.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      List<Lease> out = new ArrayList<>(pending.subList(0, Math.min(maxTasks, pending.size())));
      pending.removeAll(out);
      return out;
    }

    @Override
    public SubmitOutcome submit(WorkResult result) {
      submitAttempts.incrementAndGet();
      submitTimesMs.add(System.currentTimeMillis());
      if (rateLimitNextSubmitMs > 0) {
        long ms = rateLimitNextSubmitMs;
        rateLimitNextSubmitMs = 0;
        throw new ApiException(ApiException.Code.RESOURCE_EXHAUSTED, "rate limit reached", null, ms);
      }
      if (failNextSubmits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new ApiException(ApiException.Code.UNAVAILABLE, "validator away");
      }
      if (refuseSubmits) {
        throw new ApiException(ApiException.Code.INVALID_ARGUMENT, "refused");
      }
      submitted.add(result);
      allSubmitted.countDown();
      return new SubmitOutcome(SubmitOutcome.Status.ACCEPTED, "ok");
    }

    @Override
    public List<String> heartbeat(List<String> taskIdsInProgress) {
      return List.of();
    }

    @Override
    public void close() {}
  }
}
