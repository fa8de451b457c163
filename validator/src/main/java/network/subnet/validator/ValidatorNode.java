package network.subnet.validator;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.Signer;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.lifecycle.Service;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.ledger.MinerRecord;
import network.subnet.validator.ledger.MinerStats;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.query.RewardsService;
import network.subnet.validator.scheduler.LeaseView;
import network.subnet.validator.scheduler.Scheduler;
import network.subnet.validator.scheduler.SchedulerSettings;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TeacherId;
import network.subnet.validator.verify.Consensus;
import network.subnet.validator.verify.ReplicaComparator;
import network.subnet.validator.verify.ResultChecker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator's domain: leases tasks to registered miners, checks and stores their signed results, settles each
 * task once its replicas are in, credits the agreeing miners in the open epoch and closes epochs on schedule.
 *
 * <p>Construction reloads the ledger: verified tasks stay verified, accepted results of pending tasks count toward
 * their replicas, and leases open before a restart are dropped back to the pool (their miners get NOT_FOUND and
 * lease again). A task whose replicas were all in but not yet settled is settled at once.
 */
public final class ValidatorNode implements MinerGateway, RewardsService, Service {

  private static final Logger LOG = LoggerFactory.getLogger(ValidatorNode.class);

  private final ValidatorConfig config;
  private final Signer signer;
  private final LongSupplier clockMs;
  private final Ledger ledger;
  private final Scheduler scheduler;
  private final Consensus consensus;
  private final Map<PublicKey, Long> lastSeen = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  public ValidatorNode(ValidatorConfig config, KeyValueStorage storage, Signer signer, LongSupplier clockMs) {
    this.config = config;
    this.signer = signer;
    this.clockMs = clockMs;
    this.ledger = new Ledger(storage, clockMs.getAsLong());
    this.scheduler = new Scheduler(
        new SchedulerSettings(
            config.leaseDuration(),
            config.maxOpenLeasesPerMiner(),
            Duration.ofSeconds(30),
            config.leaseDuration().multipliedBy(10)),
        clockMs);
    this.consensus =
        new Consensus(new ReplicaComparator(config.minTop1Agreement(), config.maxLogProbDiff()), config.maxReplicas());
    reload();
  }

  private void reload() {
    for (MinerRecord m : ledger.miners()) {
      scheduler.registerMiner(m.miner(), TeacherId.of(m.teacher()));
    }
    List<TaskRecord> complete = new ArrayList<>();
    ledger.forEachPendingTask(record -> {
      Set<PublicKey> done = new HashSet<>();
      ledger.results(record.task().id()).forEach(r -> done.add(r.miner()));
      scheduler.addTask(record.task(), record.replicasNeeded(), done);
      if (done.size() >= record.replicasNeeded()) {
        complete.add(record);
      }
    });
    for (TaskRecord record : complete) {
      settle(record.task(), record.replicasNeeded(), Map.of());
    }
  }

  // ------------------------------------------------------------------ tasks and epochs

  /** Adds the tasks not seen before (by id) to the ledger and the pool; returns how many were new. */
  public int addTasks(Collection<Task> tasks) {
    List<Task> added = ledger.addTasks(tasks, config.replicas());
    scheduler.addTasks(added, config.replicas());
    return added.size();
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
      Ledger.OpenEpoch open = ledger.openEpoch();
      if (clockMs.getAsLong() >= open.startMs() + config.epochLength().toMillis()) {
        closeEpoch();
      }
    } catch (RuntimeException e) {
      LOG.error("epoch timer failed; retrying next second", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  // ------------------------------------------------------------------ MinerGateway

  @Override
  public Registration register(PublicKey miner, Capabilities capabilities, String agent) {
    if (capabilities == null || capabilities.teacher() == null) {
      throw ApiException.invalid("registration must name the miner's teacher (model and tokenizer hashes)");
    }
    Set<TaskKind> kinds = capabilities.kinds();
    if (kinds != null && !kinds.isEmpty() && !kinds.contains(TaskKind.DISTILL)) {
      throw ApiException.invalid("this validator issues distill tasks only; the miner offers " + capabilities.kinds());
    }
    TeacherSpec teacher = capabilities.teacher();
    TeacherId id;
    try {
      id = TeacherId.of(teacher);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    long now = clockMs.getAsLong();
    ledger.putMiner(new MinerRecord(miner, blankToEmpty(teacher), agent == null ? "" : agent, now));
    scheduler.registerMiner(miner, id);
    lastSeen.put(miner, now);
    return new Registration(miner, signer.publicKey(), now, Math.max(1000, config.leaseDuration().toMillis() / 3));
  }

  @Override
  public List<Lease> lease(PublicKey miner, int maxTasks, Duration wait) {
    if (maxTasks < 1) {
      throw ApiException.invalid("max tasks must be >= 1, got " + maxTasks);
    }
    lastSeen.put(miner, clockMs.getAsLong());
    try {
      return scheduler.lease(miner, maxTasks, wait == null ? Duration.ZERO : wait).stream()
          .map(LeaseView::toLease)
          .toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ApiException.Code.UNAVAILABLE, "the validator is shutting down");
    }
  }

  @Override
  public SubmitOutcome submit(PublicKey miner, WorkResult result) {
    if (result == null || result.taskId() == null || result.leaseNonce() == null || result.signature() == null) {
      throw ApiException.invalid("a result needs a task id, a lease nonce and a signature");
    }
    lastSeen.put(miner, clockMs.getAsLong());
    SubmitOutcome duplicate = duplicateOf(miner, result);
    if (duplicate != null) {
      return duplicate;
    }
    LeaseView lease;
    try {
      lease = scheduler.reserve(result.leaseNonce(), miner, result.taskId());
    } catch (ApiException e) {
      // A concurrent copy of this very result may have just been accepted.
      SubmitOutcome raced = e.code() == ApiException.Code.ALREADY_EXISTS ? duplicateOf(miner, result) : null;
      if (raced != null) {
        return raced;
      }
      throw e;
    }
    SoftLabels labels;
    try {
      labels = ResultChecker.check(lease.task(), miner, result);
      ledger.accept(new ResultRecord(miner, stored(result), clockMs.getAsLong(), ResultRecord.Status.PENDING));
    } catch (RuntimeException e) {
      scheduler.release(result.leaseNonce());
      throw e;
    }
    Scheduler.Completion done = scheduler.complete(result.leaseNonce());
    if (done.ready()) {
      settle(done.task(), done.replicasNeeded(), Map.of(miner, labels));
    }
    return new SubmitOutcome(SubmitOutcome.Status.ACCEPTED, "accepted; credited once its replicas agree");
  }

  private SubmitOutcome duplicateOf(PublicKey miner, WorkResult result) {
    return ledger.result(result.taskId(), miner)
        .map(prior -> {
          if (Arrays.equals(prior.result().signature(), result.signature())) {
            return new SubmitOutcome(SubmitOutcome.Status.DUPLICATE, "this result was already accepted");
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
    return scheduler.heartbeat(miner, taskIdsInProgress == null ? List.of() : taskIdsInProgress);
  }

  // ------------------------------------------------------------------ settling

  /**
   * Compares a task's replicas and records the verdict. Only the caller whose result completed the replica set gets
   * here for a given round (the scheduler stops leasing the task meanwhile), so a verdict is never written twice.
   */
  private void settle(Task task, int replicasNeeded, Map<PublicKey, SoftLabels> decoded) {
    List<ResultRecord> results = ledger.results(task.id());
    List<Consensus.Replica> replicas = new ArrayList<>(results.size());
    for (ResultRecord r : results) {
      SoftLabels labels = decoded.get(r.miner());
      if (labels == null) {
        labels = SoftLabelCodec.decode(r.result().softLabels());
      }
      replicas.add(new Consensus.Replica(r.miner(), labels));
    }
    TaskRecord record = new TaskRecord(task, replicasNeeded, TaskRecord.Status.PENDING);
    switch (consensus.decide(replicas)) {
      case Consensus.Agreed agreed -> {
        List<ResultRecord> updated = results.stream()
            .map(r -> r.withStatus(
                agreed.agreeing().contains(r.miner()) ? ResultRecord.Status.AGREED : ResultRecord.Status.REJECTED))
            .toList();
        ledger.settle(record.withStatus(TaskRecord.Status.VERIFIED), updated, task.tokenCount());
        scheduler.finish(task.id());
        if (!agreed.rejected().isEmpty()) {
          LOG.info("task {}: replicas rejected by the majority: {}", task.id(), agreed.rejected());
        }
      }
      case Consensus.NeedMore more -> {
        ledger.updateTask(record.withReplicas(more.replicas()));
        scheduler.addReplica(task.id(), more.replicas());
      }
      case Consensus.Undecided undecided -> {
        List<ResultRecord> updated = results.stream().map(r -> r.withStatus(ResultRecord.Status.UNDECIDED)).toList();
        ledger.settle(record.withStatus(TaskRecord.Status.UNDECIDED), updated, 0);
        scheduler.finish(task.id());
        LOG.warn("task {}: {} replicas reached no majority; left undecided", task.id(), results.size());
      }
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
  public NetworkStatus networkStatus() {
    return new NetworkStatus(ledger.tasksTotal(), ledger.tasksVerified(), ledger.tasksPending(), ledger.minerCount(),
        ledger.openEpoch().number());
  }
}
