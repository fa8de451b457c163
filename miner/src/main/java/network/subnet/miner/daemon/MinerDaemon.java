package network.subnet.miner.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import network.subnet.miner.teacher.Teacher;
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
import network.subnet.node.codec.ActivationCodec;
import network.subnet.node.codec.CodecException;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.identity.Signer;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.lifecycle.Service;
import network.subnet.node.metrics.NodeMetrics;
import network.subnet.node.results.ResultDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The miner's work loop: register, lease, label with the teacher (distill) or encode with the smallest codec that
 * meets the floor (compress), sign, submit. The miner always dials out, so it
 * works behind NAT. When the validator is away it backs off with jitter and re-registers once it is back; a computed
 * result is retried until the validator answers it (for up to a minute past its lease deadline) rather than dropped.
 * {@link #stop()} stops leasing and drains the batch in hand before returning.
 *
 * <p>Log lines carry the miner's key ({@code miner}) and, while a task is worked on, its id ({@code task}) in the MDC.
 */
public final class MinerDaemon implements Service {

  private static final Logger log = LoggerFactory.getLogger(MinerDaemon.class);
  private static final String AGENT = "subnet-miner/0.1";

  private final ValidatorApi validator;
  private final Teacher teacher;
  private final Signer signer;
  private final MinerConfig config;
  /** The longest pause between reconnect attempts while the validator is away. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(15);

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_SUBMIT_BACKOFF = Duration.ofSeconds(5);
  /**
   * How long after its lease's deadline a result is still retried while the validator is away. A validator that
   * stored the result just before it went down answers the retry DUPLICATE, even past the deadline, and one that never
   * stored it refuses it; only such an answer tells the miner which, so it keeps asking for a while.
   */
  private static final Duration SUBMIT_GRACE = Duration.ofSeconds(60);

  private final NodeMetrics metrics;
  private final Duration maxBackoff;
  private final Backoff backoff;
  private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "miner-timers"));
  private final Stats stats = new Stats();
  private final CodecRegistry codecs = CodecRegistry.standard();

  private volatile boolean running;
  private volatile boolean registered;
  private boolean heartbeating;
  private Thread worker;

  public MinerDaemon(ValidatorApi validator, Teacher teacher, Signer signer, MinerConfig config) {
    this(validator, teacher, signer, config, DEFAULT_MAX_BACKOFF, NodeMetrics.NONE);
  }

  /** As above, reporting leases, results, tokens and codec ratios to {@code metrics}. */
  public MinerDaemon(ValidatorApi validator, Teacher teacher, Signer signer, MinerConfig config, NodeMetrics metrics) {
    this(validator, teacher, signer, config, DEFAULT_MAX_BACKOFF, metrics);
  }

  /**
   * As above, with reconnect pauses capped at {@code maxBackoff}: a lower cap brings a miner back sooner after a short
   * outage, at the cost of more connection attempts while the validator is away.
   */
  public MinerDaemon(ValidatorApi validator, Teacher teacher, Signer signer, MinerConfig config, Duration maxBackoff) {
    this(validator, teacher, signer, config, maxBackoff, NodeMetrics.NONE);
  }

  /** The full form: reconnect cap and metrics. */
  public MinerDaemon(ValidatorApi validator, Teacher teacher, Signer signer, MinerConfig config, Duration maxBackoff,
      NodeMetrics metrics) {
    if (maxBackoff.compareTo(FIRST_BACKOFF) < 0) {
      throw new IllegalArgumentException("max backoff must be at least " + FIRST_BACKOFF + ", got " + maxBackoff);
    }
    this.maxBackoff = maxBackoff;
    this.backoff = new Backoff(FIRST_BACKOFF, maxBackoff);
    this.validator = validator;
    this.teacher = teacher;
    this.signer = signer;
    this.config = config;
    this.metrics = metrics;
  }

  /** Counters for progress logs and tests. */
  public Stats stats() {
    return stats;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    worker = new Thread(this::runLoop, "miner-" + signer.publicKey().hex().substring(0, 8));
    worker.start();
    long every = config.progressInterval().toMillis();
    timers.scheduleAtFixedRate(this::logProgress, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    Thread w;
    synchronized (this) {
      if (!running) {
        return;
      }
      running = false;
      w = worker;
    }
    log.info("miner {}: stopping; draining work in hand", shortKey());
    try {
      if (!stopped.await(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("miner {}: work not drained within {}; interrupting", shortKey(), config.drainTimeout());
        w.interrupt();
        stopped.await(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    logProgress();
  }

  /** Blocks until the work loop has ended (after {@link #stop()}). */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private void runLoop() {
    MDC.put("miner", signer.publicKey().hex());
    try {
      while (running) {
        try {
          if (!registered) {
            register();
          }
          long asked = System.nanoTime();
          List<Lease> leases = validator.lease(config.maxBatch(), config.leaseWait());
          metrics.leaseLatency(System.nanoTime() - asked);
          if (!leases.isEmpty()) {
            process(leases);
          }
          backoff.reset();
        } catch (ApiException e) {
          onFailure(e);
        } catch (RuntimeException e) {
          log.error("miner {}: unexpected error; retrying", shortKey(), e);
          pause(backoff.next());
        }
      }
    } finally {
      stopped.countDown();
    }
  }

  private void register() {
    List<String> codecKeys = codecs.codecs().stream().map(ActivationCodec::key).toList();
    Capabilities capabilities = new Capabilities(
        EnumSet.of(TaskKind.DISTILL, TaskKind.COMPRESS), teacher.spec(), codecKeys, config.maxBatch());
    Registration registration = validator.register(capabilities, AGENT);
    registered = true;
    if (!heartbeating) {
      heartbeating = true;
      long beat = Math.max(1000, registration.heartbeatIntervalMs());
      timers.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }
    log.info(
        "miner {}: registered with validator {} (model {}, device {})",
        shortKey(),
        registration.validatorKey().hex().substring(0, 8),
        teacher.spec().modelHash().substring(0, 12),
        teacher.spec().device());
  }

  private void onFailure(ApiException e) {
    switch (e.code()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> {
        Duration wait = backoff.next();
        log.warn("miner {}: validator unreachable ({}); retrying in {} ms", shortKey(), e.getMessage(), wait.toMillis());
        registered = false;
        pause(wait);
      }
      case FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED -> {
        Duration wait = backoff.next();
        log.warn("miner {}: refused: {}; registering again in {} ms", shortKey(), e.getMessage(), wait.toMillis());
        registered = false;
        pause(wait);
      }
      case RESOURCE_EXHAUSTED -> {
        Duration wait = honouring(backoff.next(), e);
        log.warn("miner {}: {}; asking again in {} ms", shortKey(), e.getMessage(), wait.toMillis());
        pause(wait);
      }
      default -> {
        log.error("miner {}: {} {}", shortKey(), e.code(), e.getMessage());
        pause(backoff.next());
      }
    }
  }

  private void process(List<Lease> leases) {
    // Tasks with the same top-k and temperature share one teacher batch.
    Map<String, List<Lease>> groups = new LinkedHashMap<>();
    List<Lease> compress = new ArrayList<>();
    for (Lease lease : leases) {
      metrics.taskLeased(lease.kind());
      if (lease.kind() == TaskKind.COMPRESS && lease.compress() != null) {
        compress.add(lease);
        continue;
      }
      if (lease.kind() != TaskKind.DISTILL || lease.distill() == null) {
        log.warn("miner {}: got a {} task it did not ask for; skipping {}", shortKey(), lease.kind(), lease.taskId());
        continue;
      }
      DistillSpec d = lease.distill();
      groups.computeIfAbsent(d.topK() + "/" + d.temperature(), key -> new ArrayList<>()).add(lease);
    }
    for (List<Lease> group : groups.values()) {
      group.forEach(l -> inProgress.add(l.taskId()));
      String ids = String.join(",", group.stream().map(Lease::taskId).toList());
      try (MDC.MDCCloseable t = MDC.putCloseable("task", ids)) {
        label(group);
      } finally {
        group.forEach(l -> inProgress.remove(l.taskId()));
      }
    }
    for (Lease lease : compress) {
      inProgress.add(lease.taskId());
      try (MDC.MDCCloseable t = MDC.putCloseable("task", lease.taskId())) {
        compress(lease);
      } finally {
        inProgress.remove(lease.taskId());
      }
    }
  }

  private void compress(Lease lease) {
    CompressSpec spec = lease.compress();
    long started = System.nanoTime();
    EncodedBlob blob;
    try {
      blob = codecs.encodeBest(spec.activations(), spec.similarityFloor(), spec.allowedCodecs());
    } catch (CodecException e) {
      // Nothing we can send would pass; the lease expires and another miner may do better.
      stats.skipped.incrementAndGet();
      metrics.taskFailed(TaskKind.COMPRESS);
      log.warn("miner {}: cannot compress task {}: {}; skipping", shortKey(), lease.taskId(), e.getMessage());
      return;
    }
    long computeMs = (System.nanoTime() - started) / 1_000_000;
    stats.compressed.incrementAndGet();
    metrics.codecRatio(blob.codec(), (double) spec.activations().data().length / Math.max(1, blob.blob().length));
    if (cancelled.remove(lease.taskId())) {
      log.info("miner {}: task {} was cancelled by the validator", shortKey(), lease.taskId());
      return;
    }
    WorkResult.CompressedOutput out = new WorkResult.CompressedOutput(blob.codec(), blob.blob());
    byte[] digest = ResultDigest.of(lease.taskId(), lease.leaseNonce(), "", signer.publicKey(), out.blob());
    submit(lease, new WorkResult(lease.taskId(), lease.leaseNonce(), "", TaskKind.COMPRESS, null, out, null,
        computeMs, signer.sign(digest)));
  }

  private void label(List<Lease> group) {
    DistillSpec first = group.get(0).distill();
    List<int[]> sequences = group.stream().map(l -> l.distill().tokens()).toList();
    long started = System.nanoTime();
    List<SoftLabels> labels = teacher.label(sequences, first.topK(), first.temperature());
    long computeMs = (System.nanoTime() - started) / 1_000_000;
    long tokens = sequences.stream().mapToLong(s -> s.length).sum();
    stats.tokens.addAndGet(tokens);
    metrics.tokensLabelled(tokens);
    stats.computeMs.addAndGet(computeMs);
    for (int i = 0; i < group.size(); i++) {
      Lease lease = group.get(i);
      if (cancelled.remove(lease.taskId())) {
        log.info("miner {}: task {} was cancelled by the validator", shortKey(), lease.taskId());
        continue;
      }
      submit(lease, sign(lease, labels.get(i), computeMs / group.size()));
    }
  }

  private WorkResult sign(Lease lease, SoftLabels labels, long computeMs) {
    WorkResult.PackedSoftLabels packed = SoftLabelCodec.encode(labels);
    String modelHash = teacher.spec().modelHash();
    byte[] digest =
        ResultDigest.of(lease.taskId(), lease.leaseNonce(), modelHash, signer.publicKey(), packed.packed());
    return new WorkResult(
        lease.taskId(),
        lease.leaseNonce(),
        modelHash,
        TaskKind.DISTILL,
        packed,
        null,
        teacher.spec(),
        computeMs,
        signer.sign(digest));
  }

  /**
   * Submits one result, retrying while the validator is away, until {@link #SUBMIT_GRACE} past the lease's deadline.
   * Only a definite refusal of the result ends it early: anything else (the validator unreachable, a connection cut
   * mid-call, which gRPC may report as INTERNAL, overload) is retried, which is safe because the validator answers a
   * result it already stored as a DUPLICATE.
   */
  private void submit(Lease lease, WorkResult result) {
    try (MDC.MDCCloseable t = MDC.putCloseable("task", lease.taskId())) {
      submitWithRetry(lease, result);
    }
  }

  private void submitWithRetry(Lease lease, WorkResult result) {
    Backoff retry = new Backoff(FIRST_BACKOFF,
        maxBackoff.compareTo(MAX_SUBMIT_BACKOFF) < 0 ? maxBackoff : MAX_SUBMIT_BACKOFF);
    long giveUpAtMs = lease.deadlineMs() + SUBMIT_GRACE.toMillis();
    while (true) {
      try {
        SubmitOutcome outcome = validator.submit(result);
        stats.submitted.incrementAndGet();
        if (outcome.status() == SubmitOutcome.Status.ACCEPTED) {
          metrics.resultAccepted(result.kind());
        }
        log.debug("miner {}: task {} {}", shortKey(), lease.taskId(), outcome.status());
        return;
      } catch (ApiException e) {
        boolean transientFailure = !refusesResult(e.code());
        Duration wait = honouring(retry.next(), e);
        if (!transientFailure || System.currentTimeMillis() + wait.toMillis() > giveUpAtMs) {
          stats.refused.incrementAndGet();
          metrics.resultRefused(result.kind(), e.code().name());
          log.warn("miner {}: result for task {} not accepted: {} {}", shortKey(), lease.taskId(), e.code(),
              e.getMessage());
          return;
        }
        log.warn("miner {}: validator away while submitting task {}; retrying in {} ms", shortKey(), lease.taskId(),
            wait.toMillis());
        pause(wait);
      }
    }
  }

  /** At least as long as the validator asked for, when it said how long (a rate limit's retry-after). */
  static Duration honouring(Duration backoff, ApiException e) {
    Duration asked = Duration.ofMillis(e.retryAfterMs());
    return asked.compareTo(backoff) > 0 ? asked : backoff;
  }

  private static boolean refusesResult(ApiException.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED -> true;
      case RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL -> false;
    };
  }

  private void heartbeat() {
    if (!registered) {
      return;
    }
    try {
      cancelled.addAll(validator.heartbeat(List.copyOf(inProgress)));
    } catch (ApiException e) {
      log.debug("miner {}: heartbeat failed: {}", shortKey(), e.getMessage());
    } catch (RuntimeException e) {
      log.warn("miner {}: heartbeat failed", shortKey(), e);
    }
  }

  private void logProgress() {
    long ms = stats.computeMs.get();
    log.info(
        "miner {}: {} results submitted, {} refused, {} tokens labelled, {} tensors compressed ({} tokens/s while "
            + "computing)",
        shortKey(),
        stats.submitted.get(),
        stats.refused.get(),
        stats.tokens.get(),
        stats.compressed.get(),
        ms == 0 ? 0 : stats.tokens.get() * 1000 / ms);
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private String shortKey() {
    return signer.publicKey().hex().substring(0, 8);
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Running totals of one daemon. */
  public static final class Stats {
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong tokens = new AtomicLong();
    final AtomicLong computeMs = new AtomicLong();
    final AtomicLong compressed = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();

    public long submitted() {
      return submitted.get();
    }

    public long refused() {
      return refused.get();
    }

    public long tokens() {
      return tokens.get();
    }

    /** Compress tasks encoded (submitted or not). */
    public long compressed() {
      return compressed.get();
    }

    /** Compress tasks no allowed codec could meet. */
    public long skipped() {
      return skipped.get();
    }
  }
}
