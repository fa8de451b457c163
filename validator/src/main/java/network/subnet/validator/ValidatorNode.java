package network.subnet.validator;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.MinerGateway;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.api.WorkResult;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.Signer;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.lifecycle.Service;
import network.subnet.node.metrics.NodeMetrics;
import network.subnet.node.storage.GroupCommitStorage;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.ledger.DocumentBatch;
import network.subnet.validator.ledger.LeaseRecord;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.ledger.MinerRecord;
import network.subnet.validator.ledger.MinerStats;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.Settlement;
import network.subnet.validator.ledger.VerdictRecord;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.query.RewardsExplainer;
import network.subnet.validator.query.RewardsService;
import network.subnet.validator.scheduler.LeaseView;
import network.subnet.validator.scheduler.Scheduler;
import network.subnet.validator.scheduler.SchedulerSettings;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TeacherId;
import network.subnet.validator.verify.CheckedLabels;
import network.subnet.validator.verify.CompressChecker;
import network.subnet.validator.verify.DistillJudge;
import network.subnet.validator.verify.GoldAnswersAhead;
import network.subnet.validator.verify.GoldTasks;
import network.subnet.validator.verify.Operators;
import network.subnet.validator.verify.ReferenceTeacher;
import network.subnet.validator.verify.RegistrationLimits;
import network.subnet.validator.verify.ReplicaComparator;
import network.subnet.validator.verify.ResultChecker;
import network.subnet.validator.verify.TrustPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The validator's domain: leases tasks to registered miners, checks and stores their signed results, settles each
 * task once its replicas are in, credits the agreeing miners in the open epoch and closes epochs on schedule.
 *
 * <p>Distill results are settled by comparing replicas. Compress results are judged one by one against the original
 * ({@link CompressChecker}): one that meets the similarity floor is credited at once (AGREED); one below it is stored
 * as REJECTED, answered with INVALID_ARGUMENT naming its similarity, and costs the task one more replica (up to the
 * replica cap). A compress task is VERIFIED once {@code replicas} results have passed, or UNDECIDED as soon as the
 * replicas left under the cap could no longer bring that about.
 *
 * <p>Construction reloads the ledger: verified tasks stay verified, accepted results of pending tasks count toward
 * their replicas, and leases open before a restart stay with their miners until their deadlines (a lease is durable
 * before the miner sees it, and so is a heartbeat's extension). A task whose replicas were all in but not yet settled
 * is settled at once.
 *
 * <p>Writes go through {@link GroupCommitStorage}: concurrent submissions share one fsync, and each is acknowledged
 * only once its own batch is durable. The result that completes a task's replicas is written in its verdict's batch.
 * Signatures and labels are checked on the calling threads, in parallel, before anything is queued for the writer.
 */
public final class ValidatorNode implements MinerGateway, RewardsService, Service {

  private static final Logger LOG = LoggerFactory.getLogger(ValidatorNode.class);

  private final ValidatorConfig config;
  private final Signer signer;
  private final LongSupplier clockMs;
  private final Ledger ledger;
  private final Scheduler scheduler;
  private final DistillJudge judge;
  private final TrustPolicy trustPolicy;
  private final TrustConfig trustConfig;
  private final GoldAnswersAhead reference;
  private final GoldTasks gold;
  private final Map<String, Boolean> goldCache = new ConcurrentHashMap<>();
  private final Operators operators;
  private final RegistrationLimits registrationLimits;
  private final CompressChecker compressChecker = new CompressChecker(CodecRegistry.standard());
  private final CheckedLabels checkedLabels = new CheckedLabels(CheckedLabels.DEFAULT_MAX_ENTRIES);
  private final Object compressVerdicts = new Object();
  private final ReadWriteLock settling = new ReentrantReadWriteLock();
  private final StripedLocks completions = new StripedLocks(64);
  private final Map<PublicKey, Long> lastSeen = new ConcurrentHashMap<>();
  private final NodeMetrics metrics;
  private ScheduledExecutorService timer;

  /** A validator with fixed replication and no reference teacher: {@link TrustConfig#fixedReplication()}. */
  public ValidatorNode(ValidatorConfig config, KeyValueStorage storage, Signer signer, LongSupplier clockMs) {
    this(config, storage, signer, clockMs, NodeMetrics.NONE);
  }

  /** As above, reporting leases, results and settled tasks to {@code metrics}. */
  public ValidatorNode(
      ValidatorConfig config, KeyValueStorage storage, Signer signer, LongSupplier clockMs, NodeMetrics metrics) {
    this(config, TrustConfig.fixedReplication(), null, storage, signer, clockMs, metrics);
  }

  /**
   * A validator that trusts miners by {@code trust}; {@code reference} (may be null) computes the answers of gold
   * tasks and breaks ties between disagreeing replicas.
   */
  public ValidatorNode(ValidatorConfig config, TrustConfig trust, ReferenceTeacher reference, KeyValueStorage storage,
      Signer signer, LongSupplier clockMs) {
    this(config, trust, reference, storage, signer, clockMs, NodeMetrics.NONE);
  }

  /** As above, reporting leases, results and settled tasks to {@code metrics}. */
  public ValidatorNode(ValidatorConfig config, TrustConfig trust, ReferenceTeacher reference, KeyValueStorage storage,
      Signer signer, LongSupplier clockMs, NodeMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.signer = signer;
    this.clockMs = clockMs;
    this.ledger = new Ledger(GroupCommitStorage.over(storage), clockMs.getAsLong());
    this.trustPolicy = new TrustPolicy(trust.trustThreshold(), new SplittableRandom());
    this.scheduler = new Scheduler(
        new SchedulerSettings(
            config.leaseDuration(),
            config.maxOpenLeasesPerMiner(),
            Duration.ofSeconds(30),
            config.leaseDuration().multipliedBy(10)),
        clockMs,
        this::replicasFor,
        this::onProbation);
    this.reference = reference == null ? null : new GoldAnswersAhead(reference);
    this.gold = new GoldTasks(signer, reference == null ? 0 : trust.goldFraction());
    this.judge = new DistillJudge(new ReplicaComparator(config.minTop1Agreement(), config.maxLogProbDiff()),
        config.maxReplicas(), this.reference, this::isGold);
    this.trustConfig = trust;
    this.operators = new Operators(trust.operatorPrefixV4(), trust.operatorPrefixV6(), trust.exemptLoopback());
    this.registrationLimits = new RegistrationLimits(
        trust.maxKeysPerOperator(), RegistrationLimits.DEFAULT_PER_KEY_PER_MINUTE, clockMs);
    reload();
  }

  /** Adaptive replication: a distill task first taken by a trusted miner may run on its single replica. */
  private int replicasFor(PublicKey miner, Task task, int needed) {
    if (task.kind() != TaskKind.DISTILL) {
      return needed;
    }
    return trustPolicy.replicas(ledger.trust(miner).consecutiveValid(), needed);
  }

  /**
   * With a reference teacher every failed check is proven, and a miner whose last one failed takes fresh tasks only.
   * Without one, tie-breaks are settled by majority: an outvote proves nothing, and every voter counts.
   */
  private boolean onProbation(PublicKey miner) {
    return reference != null && TrustPolicy.onProbation(ledger.trust(miner));
  }

  private boolean isGold(Task task) {
    return task.kind() == TaskKind.DISTILL && reference != null
        && goldCache.computeIfAbsent(task.id(), gold::isGold);
  }

  private void reload() {
    for (MinerRecord m : ledger.miners()) {
      registerWithScheduler(m);
    }
    List<TaskRecord> complete = new ArrayList<>();
    ledger.forEachPendingTask(record -> {
      Set<PublicKey> done = new HashSet<>();
      ledger.results(record.task().id()).forEach(r -> done.add(r.miner()));
      scheduler.addTask(record.task(), record.replicasNeeded(), done);
      // A compress verdict is written with its last result, so only distill tasks can be left to settle.
      if (record.task().kind() == TaskKind.DISTILL && done.size() >= record.replicasNeeded()) {
        complete.add(record);
      }
    });
    List<byte[]> stale = new ArrayList<>();
    int restored = 0;
    for (LeaseRecord lease : ledger.leases()) {
      if (scheduler.restoreLease(lease.taskId(), lease.miner(), lease.nonce(), lease.deadlineMs())) {
        restored++;
      } else {
        stale.add(lease.nonce());
      }
    }
    ledger.dropLeases(stale);
    if (restored + stale.size() > 0) {
      LOG.info("ledger reloaded: {} open leases kept, {} expired or settled ones dropped", restored, stale.size());
    }
    for (TaskRecord record : complete) {
      settle(record.task(), record.replicasNeeded(), Map.of());
    }
  }

  // ------------------------------------------------------------------ tasks and epochs

  /** Adds the tasks not seen before (by id) to the ledger and the pool; returns how many were new. */
  public int addTasks(Collection<Task> tasks) {
    List<Task> added = ledger.addTasks(tasks, this::replicasOf);
    pool(added);
    return added.size();
  }

  /** Stores one dataset import step (documents, their new tasks, the file position) and pools the new tasks. */
  public int importDocuments(DocumentBatch batch) {
    List<Task> added = ledger.importDocuments(batch, this::replicasOf);
    pool(added);
    return added.size();
  }

  /** Gold tasks need one replica: the validator holds the other answer. */
  private int replicasOf(Task task) {
    return isGold(task) ? 1 : config.replicas();
  }

  /**
   * Puts newly stored tasks in the scheduler's pool in input order, gold among ordinary: which tasks are gold is a
   * keyed draw per task id, so in input order they already sit at places nobody can predict, and a miner cannot tell
   * them by where or when they come (pooled last, they were leased last, or not at all in a short run).
   */
  private void pool(List<Task> added) {
    scheduler.addTasks(added, this::replicasOf);
  }

  public ValidatorConfig config() {
    return config;
  }

  public TrustConfig trustConfig() {
    return trustConfig;
  }

  /** Closes the open epoch now and returns its signed record. */
  public EpochRecord closeEpoch() {
    EpochRecord record = ledger.closeEpoch(clockMs.getAsLong(), signer);
    LOG.info("epoch {} closed: {} miners, {} credits", record.epoch(), record.entries().size(), record.totalCredits());
    return record;
  }

  public Ledger ledger() {
    return ledger;
  }

  public PublicKey validatorKey() {
    return signer.publicKey();
  }

  @Override
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    scheduler.resumeLeasing();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "validator-epochs");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  private void tick() {
    try {
      scheduler.expireDue();
      ledger.dropLeases(scheduler.takeRetired());
      Ledger.OpenEpoch open = ledger.openEpoch();
      if (clockMs.getAsLong() >= open.startMs() + config.epochLength().toMillis()) {
        closeEpoch();
      }
    } catch (RuntimeException e) {
      LOG.error("epoch timer failed; retrying next second", e);
    }
  }

  /**
   * Stops the epoch timer and leasing: waiting long polls return empty at once. Submissions and heartbeats are still
   * served, so results in flight while a server drains are stored; the caller closes the storage afterwards.
   */
  @Override
  public synchronized void stop() {
    scheduler.pauseLeasing();
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  // ------------------------------------------------------------------ MinerGateway

  /**
   * Registers a miner for the kinds it offers (none named: distill). A distill miner must name its teacher; a
   * compress-only miner need not. The codecs it names, if any, limit the compress tasks it is offered.
   */
  @Override
  public Registration register(PublicKey miner, Capabilities capabilities, String agent) {
    return register(miner, capabilities, agent, null);
  }

  /**
   * Registers a miner seen at {@code from} (null: unknown): the address names its operator ({@link Operators}), whose
   * miners never share a task, and registrations are capped per key and per operator ({@link RegistrationLimits}).
   */
  @Override
  public Registration register(PublicKey miner, Capabilities capabilities, String agent, InetAddress from) {
    if (capabilities == null) {
      throw ApiException.invalid("registration must carry the miner's capabilities");
    }
    Set<TaskKind> kinds = capabilities.kinds() == null || capabilities.kinds().isEmpty()
        ? Set.of(TaskKind.DISTILL)
        : capabilities.kinds();
    TeacherSpec teacher = capabilities.teacher();
    if (kinds.contains(TaskKind.DISTILL)) {
      if (teacher == null) {
        throw ApiException.invalid("registration must name the miner's teacher (model and tokenizer hashes)");
      }
      try {
        TeacherId.of(teacher);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(e.getMessage());
      }
    } else {
      teacher = null;
    }
    List<String> codecs = capabilities.codecs() == null ? List.of() : capabilities.codecs();
    String operator = operators.operatorOf(from);
    registrationLimits.admit(miner, operator);
    long now = clockMs.getAsLong();
    MinerRecord record = new MinerRecord(miner, teacher == null ? new TeacherSpec("", "", "", "", "")
        : blankToEmpty(teacher), agent == null ? "" : agent, now, kinds, codecs);
    ledger.putMiner(record);
    registerWithScheduler(record, operator);
    lastSeen.put(miner, now);
    return new Registration(miner, signer.publicKey(), now, Math.max(1000, config.leaseDuration().toMillis() / 3));
  }

  @Override
  public List<Lease> lease(PublicKey miner, int maxTasks, Duration wait) {
    if (maxTasks < 1) {
      throw ApiException.invalid("max tasks must be >= 1, got " + maxTasks);
    }
    lastSeen.put(miner, clockMs.getAsLong());
    long started = System.nanoTime();
    try {
      List<LeaseView> granted = scheduler.lease(miner, maxTasks, wait == null ? Duration.ZERO : wait);
      // Stored before the miner sees them: a restart must honour every lease a miner may be working on. The write
      // survives a killed process without waiting for the disk (Ledger.putLeases).
      persist(granted);
      prepareGoldAnswers(granted);
      List<Lease> leases = granted.stream().map(LeaseView::toLease).toList();
      leases.forEach(l -> metrics.taskLeased(l.kind()));
      return leases;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ApiException.Code.UNAVAILABLE, "the validator is shutting down");
    } finally {
      metrics.leaseLatency(System.nanoTime() - started);
    }
  }

  /** Gold answers are computed while the miner works, so a gold result is answered as fast as any other. */
  private void prepareGoldAnswers(List<LeaseView> granted) {
    if (reference != null) {
      granted.stream().map(LeaseView::task).filter(this::isGold).forEach(reference::prepare);
    }
  }

  private void persist(List<LeaseView> leases) {
    if (leases.isEmpty()) {
      return;
    }
    List<LeaseRecord> records = leases.stream()
        .map(l -> new LeaseRecord(l.nonce(), l.task().id(), l.miner(), l.deadlineMs()))
        .toList();
    try {
      ledger.putLeases(records);
    } catch (RuntimeException e) {
      // Not stored, so not granted: the scheduler's copies simply expire.
      LOG.error("could not store {} leases", records.size(), e);
      throw new ApiException(ApiException.Code.UNAVAILABLE, "the validator could not store the lease; retry");
    }
  }

  /** Checks and stores one result; logs made meanwhile carry the miner and task in their MDC. */
  @Override
  public SubmitOutcome submit(PublicKey miner, WorkResult result) {
    if (result == null || result.taskId() == null || result.leaseNonce() == null || result.signature() == null) {
      metrics.resultRefused(result == null ? null : result.kind(), ApiException.Code.INVALID_ARGUMENT.name());
      throw ApiException.invalid("a result needs a task id, a lease nonce and a signature");
    }
    try (MDC.MDCCloseable m = MDC.putCloseable("miner", miner.hex());
        MDC.MDCCloseable t = MDC.putCloseable("task", result.taskId())) {
      SubmitOutcome outcome = submitChecked(miner, result);
      if (outcome.status() == SubmitOutcome.Status.ACCEPTED) {
        metrics.resultAccepted(result.kind());
      }
      return outcome;
    } catch (ApiException e) {
      metrics.resultRefused(result.kind(), e.code().name());
      throw e;
    } catch (RuntimeException e) {
      metrics.resultRefused(result.kind(), "internal");
      throw e;
    }
  }

  private SubmitOutcome submitChecked(PublicKey miner, WorkResult result) {
    lastSeen.put(miner, clockMs.getAsLong());
    LeaseView lease;
    try {
      // The lease first, the ledger only if it is refused: a miner never holds an open lease on a task it has a
      // stored result for (a task is never leased twice to one miner, a result's batch drops its lease record, and
      // a restart restores no lease of a miner that has a result), so a fresh result costs no read.
      lease = scheduler.reserve(result.leaseNonce(), miner, result.taskId());
    } catch (ApiException e) {
      // A copy of this very result may be stored already (a retry, perhaps across a restart) or just accepted.
      SubmitOutcome duplicate = duplicateOf(miner, result);
      if (duplicate != null) {
        return duplicate;
      }
      throw e;
    }
    if (lease.task().kind() == TaskKind.COMPRESS) {
      return submitCompress(miner, result, lease);
    }
    SoftLabels labels;
    ResultRecord record;
    try {
      labels = ResultChecker.check(lease.task(), miner, result, checkedLabels);
      record = new ResultRecord(miner, stored(result), clockMs.getAsLong(), ResultRecord.Status.PENDING);
    } catch (RuntimeException e) {
      scheduler.release(result.leaseNonce());
      throw e;
    }
    Scheduler.Completion done;
    Ledger.QueuedResult queued = null;
    // Completing the lease and queuing the result are one step for the task's other replicas: the one that completes
    // the set settles at once, so every earlier result must already be queued (and listed for its verdict).
    Lock completing = completions.of(result.taskId());
    completing.lock();
    try {
      done = scheduler.complete(result.leaseNonce());
      if (!done.ready()) {
        queued = ledger.queueAccept(record);
      }
    } finally {
      completing.unlock();
    }
    if (queued != null) {
      ledger.awaitAccepted(queued);
    } else {
      // The result that completes the set is stored with the verdict: one durable write for both.
      settle(done.task(), done.replicasNeeded(), Map.of(miner, labels), record);
    }
    return new SubmitOutcome(SubmitOutcome.Status.ACCEPTED, "accepted; credited once its replicas agree");
  }

  private void registerWithScheduler(MinerRecord m) {
    registerWithScheduler(m, null);
  }

  private void registerWithScheduler(MinerRecord m, String operator) {
    TeacherId teacher = m.kinds().contains(TaskKind.DISTILL) ? TeacherId.of(m.teacher()) : null;
    scheduler.registerMiner(m.miner(), teacher, m.kinds().contains(TaskKind.COMPRESS), m.codecs(), operator);
  }

  private SubmitOutcome submitCompress(PublicKey miner, WorkResult result, LeaseView lease) {
    Task task = lease.task();
    CompressChecker.Verdict verdict;
    try {
      verdict = compressChecker.check(task, miner, result);
      // Decoding runs in parallel; counting a task's passes and writing its verdict must not.
      synchronized (compressVerdicts) {
        recordCompress(task, miner, result, verdict);
      }
    } catch (RuntimeException e) {
      scheduler.release(result.leaseNonce());
      throw e;
    }
    if (verdict.passed()) {
      metrics.codecRatio(result.compressed() == null ? null : result.compressed().codec(), verdict.ratio());
    } else {
      throw ApiException.invalid("similarity %.6f is below the task's floor %s; the result is recorded as rejected"
          .formatted(verdict.similarity(), task.compress().similarityFloor()));
    }
    return new SubmitOutcome(SubmitOutcome.Status.ACCEPTED, "accepted and credited %d (similarity %.6f, ratio %.3f)"
        .formatted(verdict.credits(), verdict.similarity(), verdict.ratio()));
  }

  /** Writes one compress verdict and moves the task on; the caller holds {@code compressVerdicts}. */
  private void recordCompress(Task task, PublicKey miner, WorkResult result, CompressChecker.Verdict verdict) {
    TaskRecord current = ledger.task(task.id())
        .orElseThrow(() -> new IllegalStateException("task " + task.id() + " is leased but not in the ledger"));
    if (current.status() != TaskRecord.Status.PENDING) {
      // Settled while this result was being decoded: nothing left to credit.
      throw new ApiException(ApiException.Code.FAILED_PRECONDITION,
          "task " + task.id() + " was settled (" + current.status() + ") while this result was checked");
    }
    List<ResultRecord> before = ledger.results(task.id());
    long passed = before.stream().filter(r -> r.status() == ResultRecord.Status.AGREED).count()
        + (verdict.passed() ? 1 : 0);
    int needed = verdict.passed()
        ? current.replicasNeeded()
        : Math.min(current.replicasNeeded() + 1, Math.max(config.maxReplicas(), current.replicasNeeded()));
    // Undecided as soon as the replicas still allowed under the cap could not bring the passes up to the target.
    long stillAllowed = Math.max(0, needed - (before.size() + 1));
    TaskRecord.Status status = passed >= config.replicas()
        ? TaskRecord.Status.VERIFIED
        : passed + stillAllowed < config.replicas() ? TaskRecord.Status.UNDECIDED : TaskRecord.Status.PENDING;
    ResultRecord.Status resultStatus = verdict.passed() ? ResultRecord.Status.AGREED : ResultRecord.Status.REJECTED;
    long now = clockMs.getAsLong();
    ResultRecord stored = new ResultRecord(miner, storedCompress(result), now, resultStatus);
    VerdictRecord evidence = new VerdictRecord(ledger.openEpoch().number(), miner, task.id(),
        verdict.passed() ? VerdictRecord.Outcome.CREDITED : VerdictRecord.Outcome.REJECTED,
        "compress: Apex similarity to the original against the floor (codec " + verdict.codec() + ")",
        verdict.credits(),
        List.of(new VerdictRecord.Measure("similarity", verdict.similarity(), ">= " + task.compress().similarityFloor()),
            new VerdictRecord.Measure("compression_ratio", verdict.ratio(), "credits scale with it")),
        List.of(DistillJudge.evidenceOf(stored)), now);
    ledger.recordCompress(new TaskRecord(task, needed, status), stored, verdict.credits(), evidence);
    scheduler.complete(result.leaseNonce());
    if (status != TaskRecord.Status.PENDING) {
      if (status == TaskRecord.Status.VERIFIED) {
        metrics.taskVerified(TaskKind.COMPRESS);
      } else {
        metrics.taskFailed(TaskKind.COMPRESS);
      }
      scheduler.finish(task.id());
      LOG.info("compress task {}: {} after {} results", task.id(), status, before.size() + 1);
    } else if (needed != current.replicasNeeded()) {
      scheduler.addReplica(task.id(), needed);
    }
  }

  private static WorkResult storedCompress(WorkResult r) {
    TeacherSpec teacher = r.teacher() == null ? new TeacherSpec("", "", "", "", "") : blankToEmpty(r.teacher());
    return new WorkResult(r.taskId(), r.leaseNonce(), orEmpty(r.modelHash()), TaskKind.COMPRESS, null, r.compressed(),
        teacher, r.computeMs(), r.signature());
  }

  private SubmitOutcome duplicateOf(PublicKey miner, WorkResult result) {
    return ledger.result(result.taskId(), miner)
        .map(prior -> {
          if (Arrays.equals(prior.result().signature(), result.signature())) {
            // The first submission may still be waiting for its sync: "already stored" must not come before it is.
            ledger.sync();
            return new SubmitOutcome(SubmitOutcome.Status.DUPLICATE, prior.status() == ResultRecord.Status.REJECTED
                ? "this result was already judged and rejected"
                : "this result was already accepted");
          }
          throw new ApiException(
              ApiException.Code.ALREADY_EXISTS, "a different result of this miner for task " + result.taskId()
                  + " was already accepted");
        })
        .orElse(null);
  }

  private static WorkResult stored(WorkResult r) {
    TeacherSpec teacher = r.teacher() == null ? new TeacherSpec("", "", "", "", "") : blankToEmpty(r.teacher());
    return new WorkResult(r.taskId(), r.leaseNonce(), r.modelHash(), TaskKind.DISTILL, r.softLabels(), null, teacher,
        r.computeMs(), r.signature());
  }

  private static TeacherSpec blankToEmpty(TeacherSpec t) {
    return new TeacherSpec(orEmpty(t.modelHash()), orEmpty(t.tokenizerHash()), orEmpty(t.dtype()), orEmpty(t.device()),
        orEmpty(t.batchPolicy()));
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  @Override
  public List<String> heartbeat(PublicKey miner, List<String> taskIdsInProgress) {
    lastSeen.put(miner, clockMs.getAsLong());
    List<String> inProgress = taskIdsInProgress == null ? List.of() : taskIdsInProgress;
    List<String> cancelled = scheduler.heartbeat(miner, inProgress);
    List<LeaseView> extended = new ArrayList<>();
    for (String id : inProgress) {
      if (!cancelled.contains(id)) {
        scheduler.openLease(miner, id).ifPresent(extended::add);
      }
    }
    persist(extended);
    return cancelled;
  }

  // ------------------------------------------------------------------ settling

  /**
   * Judges a task's replicas ({@link DistillJudge}) and records the verdict. Only the caller whose result completed
   * the replica set gets here for a given round (the scheduler stops leasing the task meanwhile), so a verdict is never
   * written twice.
   */
  private void settle(Task task, int replicasNeeded, Map<PublicKey, SoftLabels> decoded) {
    settle(task, replicasNeeded, decoded, null);
  }

  /** As above, with {@code accepted} (may be null): the newly accepted result that completed the replicas. */
  private void settle(Task task, int replicasNeeded, Map<PublicKey, SoftLabels> decoded, ResultRecord accepted) {
    Settlement settlement;
    List<ResultRecord> stored;
    try {
      stored = ledger.resultsForVerdict(task.id());
      List<ResultRecord> results = stored;
      if (accepted != null) {
        results = new ArrayList<>(stored.size() + 1);
        results.addAll(stored);
        results.add(accepted);
        results.sort(Comparator.comparing(ResultRecord::miner));
      }
      settlement = judge.judge(task, replicasNeeded, results, withChecked(task, results, decoded),
          ledger.openEpoch().number(), clockMs.getAsLong());
    } catch (RuntimeException e) {
      if (accepted != null) {
        // No verdict to carry it: the result is stored alone, as if it had not completed the set (a restart judges
        // the task), and the caller's error reaches the miner, whose retry is answered as a duplicate.
        try {
          ledger.accept(accepted);
        } catch (RuntimeException f) {
          e.addSuppressed(f);
        }
      }
      throw e;
    }
    commit(settlement, accepted, stored);
  }

  /** {@code decoded}, plus the labels already checked for byte-identical payloads of the task's other results. */
  private Map<PublicKey, SoftLabels> withChecked(Task task, List<ResultRecord> results,
      Map<PublicKey, SoftLabels> decoded) {
    Map<PublicKey, SoftLabels> out = null;
    for (ResultRecord r : results) {
      if (r.result().softLabels() == null || decoded.containsKey(r.miner())) {
        continue;
      }
      SoftLabels known = checkedLabels.match(task.id(), r.result().softLabels());
      if (known != null) {
        if (out == null) {
          out = new HashMap<>(decoded);
        }
        out.put(r.miner(), known);
      }
    }
    return out == null ? decoded : out;
  }

  /**
   * Writes a settlement, then tells the scheduler: the task is finished or needs more replicas, and the tasks the
   * settlement reopened (held-back credit to re-check) are back in the pool. Only a settlement with faults reopens
   * tasks, so it takes the lock alone while the others share it (and their fsyncs): a task settled by one thread and
   * reopened by another's fault can never end finished in the pool but pending in the ledger.
   */
  private void commit(Settlement settlement, ResultRecord accepted, List<ResultRecord> stored) {
    TaskRecord task = settlement.task();
    Lock lock = settlement.faults().isEmpty() ? settling.readLock() : settling.writeLock();
    lock.lock();
    try {
      List<TaskRecord> reopened = ledger.settle(settlement, accepted, stored);
      if (task.status() == TaskRecord.Status.PENDING) {
        scheduler.addReplica(task.task().id(), task.replicasNeeded());
      } else {
        scheduler.finish(task.task().id());
        checkedLabels.forget(task.task().id());
        if (task.status() == TaskRecord.Status.VERIFIED) {
          metrics.taskVerified(TaskKind.DISTILL);
          metrics.tokensLabelled(task.task().tokenCount());
        } else {
          metrics.taskFailed(TaskKind.DISTILL);
        }
      }
      for (TaskRecord r : reopened) {
        Set<PublicKey> done = new HashSet<>();
        ledger.results(r.task().id()).forEach(result -> done.add(result.miner()));
        scheduler.addTask(r.task(), r.replicasNeeded(), done);
        LOG.info("task {}: reopened to re-check held-back credit", r.task().id());
      }
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ RewardsService

  @Override
  public EpochRecord rewards(long epoch) {
    if (epoch < 0) {
      return ledger.latestClosedEpoch().orElseThrow(() -> ApiException.notFound(
          "no epoch has closed yet (open epoch: " + ledger.openEpoch().number() + ")"));
    }
    return ledger.epoch(epoch).orElseThrow(() -> ApiException.notFound(
        "epoch " + epoch + " is not closed (open epoch: " + ledger.openEpoch().number() + ")"));
  }

  @Override
  public List<MinerStanding> leaderboard(int limit) {
    Map<PublicKey, MinerStanding> standings = new HashMap<>();
    for (MinerStats s : ledger.allStats()) {
      standings.put(s.miner(), standing(s));
    }
    List<MinerStanding> sorted = new ArrayList<>(standings.values());
    sorted.sort(Comparator.comparingLong(MinerStanding::credits).reversed()
        .thenComparing(MinerStanding::resultsAccepted, Comparator.reverseOrder())
        .thenComparing(MinerStanding::miner));
    return limit > 0 && sorted.size() > limit ? List.copyOf(sorted.subList(0, limit)) : sorted;
  }

  private MinerStanding standing(MinerStats s) {
    return new MinerStanding(
        s.miner(), s.credits(), s.resultsAccepted(), s.resultsRejected(), lastSeen.getOrDefault(s.miner(), 0L));
  }

  @Override
  public MinerStatus minerStatus(PublicKey miner) {
    TeacherSpec teacher = ledger.miner(miner).map(MinerRecord::teacher).orElse(null);
    MinerStats stats = ledger.stats(miner);
    if (teacher == null && stats.resultsAccepted() == 0 && stats.resultsRejected() == 0 && stats.credits() == 0) {
      throw ApiException.notFound("miner " + miner + " is not known to this validator");
    }
    return new MinerStatus(standing(stats), teacher, scheduler.openLeases(miner));
  }

  @Override
  public Earnings explain(long epoch, PublicKey miner) {
    return new RewardsExplainer(ledger, clockMs).explain(epoch, miner);
  }

  @Override
  public NetworkStatus networkStatus() {
    return new NetworkStatus(ledger.tasksTotal(), ledger.tasksVerified(), ledger.tasksPending(), ledger.minerCount(),
        ledger.openEpoch().number());
  }
}
