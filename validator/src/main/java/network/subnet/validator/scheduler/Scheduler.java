package network.subnet.validator.scheduler;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.TaskKind;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TeacherId;

/**
 * The pool of unverified tasks and their leases. A task is offered until it has as many replicas (open leases plus
 * accepted results) as it needs, never twice to the same miner, and only to miners that can do it: a distill task to
 * miners whose teacher matches it, a compress task to miners that registered for compression (and, when they named
 * their codecs, know at least one the task allows).
 *
 * <p>All state sits behind one lock; every operation is O(1) or O(log n) in the number of tasks and leases, except
 * that picking a task skips the few partially replicated tasks the asking miner already holds. Each teacher has its
 * own pool (partially replicated tasks first, so replicas complete early) and its own condition for long polls,
 * signalled once per call that made tasks available; compress tasks share one pool. A miner that draws from two pools
 * waits on a condition signalled whenever any pool gains tasks.
 * Expired leases are swept lazily on every call and by waiting callers, which wake up at the next deadline.
 */
public final class Scheduler {

  private enum State {
    OPEN,
    SUBMITTING,
    SUBMITTED,
    EXPIRED
  }

  private final SchedulerSettings settings;
  private final LongSupplier clockMs;
  private final SecureRandom random = new SecureRandom();
  private final ReentrantLock lock = new ReentrantLock();

  private final Map<String, TaskState> tasks = new HashMap<>();
  /** Keyed by {@link TeacherId} for distill tasks and by {@link #COMPRESS_POOL} for compress tasks. */
  private final Map<Object, Pool> pools = new HashMap<>();

  private static final Object COMPRESS_POOL = TaskKind.COMPRESS;
  private final Map<PublicKey, MinerState> miners = new HashMap<>();
  private final Map<ByteBuffer, LeaseEntry> leases = new HashMap<>();
  private final PriorityQueue<Expiry> expiries = new PriorityQueue<>();
  private final ArrayDeque<LeaseEntry> closed = new ArrayDeque<>();
  /** Nonces of leases that expired or were cancelled since {@link #takeRetired()} was last called. */
  private final List<byte[]> retired = new ArrayList<>();
  private final List<Pool> woken = new ArrayList<>();
  private final Condition anyPool;
  private boolean paused;

  private final ReplicationPolicy replication;
  private final Predicate<PublicKey> onProbation;

  public Scheduler(SchedulerSettings settings, LongSupplier clockMs) {
    this(settings, clockMs, ReplicationPolicy.FIXED);
  }

  /** A scheduler whose {@code replication} may lower a task's replica count when the task is first leased. */
  public Scheduler(SchedulerSettings settings, LongSupplier clockMs, ReplicationPolicy replication) {
    this(settings, clockMs, replication, miner -> false);
  }

  /**
   * As above, where miners {@code onProbation} (tested with the lock held, so it must be quick) get fresh tasks only:
   * never a replica that cross-checks another miner's result, a tie-break or a re-check. A miner whose last check
   * failed is no second opinion, and each wrong replica it sent would only use up the task's replica cap; fast
   * cheaters, idle first, would otherwise take most re-issued tasks and could leave one undecided.
   */
  public Scheduler(SchedulerSettings settings, LongSupplier clockMs, ReplicationPolicy replication,
      Predicate<PublicKey> onProbation) {
    this.settings = settings;
    this.clockMs = clockMs;
    this.anyPool = lock.newCondition();
    this.replication = replication;
    this.onProbation = onProbation;
  }

  // ------------------------------------------------------------------ miners and tasks

  /** Records (or updates) the teacher a distill-only miner runs; only tasks of that teacher are leased to it. */
  public void registerMiner(PublicKey miner, TeacherId teacher) {
    registerMiner(miner, teacher, false, List.of());
  }

  /**
   * Records (or updates) what a miner takes: distill tasks of {@code teacher} (null: none), and compress tasks when
   * {@code compress} is set, limited to tasks allowing one of {@code codecs} unless that list is empty.
   */
  public void registerMiner(PublicKey miner, TeacherId teacher, boolean compress, Collection<String> codecs) {
    registerMiner(miner, teacher, compress, codecs, null);
  }

  /**
   * As {@link #registerMiner(PublicKey, TeacherId, boolean, Collection)}, for a miner run by {@code operator} (null:
   * none known): no two miners of one operator hold replicas of the same task.
   */
  public void registerMiner(
      PublicKey miner, TeacherId teacher, boolean compress, Collection<String> codecs, String operator) {
    if (teacher == null && !compress) {
      throw new IllegalArgumentException("miner " + miner + " takes neither distill nor compress tasks");
    }
    lock.lock();
    try {
      MinerState m = miners.computeIfAbsent(miner, MinerState::new);
      m.teacher = teacher;
      m.compress = compress;
      m.codecs = Set.copyOf(codecs);
      m.operator = operator;
      m.pools(); // creates them, so waiters of a new teacher have a condition
    } finally {
      unlock();
    }
  }

  public boolean isRegistered(PublicKey miner) {
    lock.lock();
    try {
      return miners.containsKey(miner);
    } finally {
      unlock();
    }
  }

  /**
   * Adds a task that needs {@code replicasNeeded} results, of which the miners in {@code minersWithResults} have
   * already delivered theirs (a restart). Adding a task that is already pooled does nothing.
   */
  public void addTask(Task task, int replicasNeeded, Set<PublicKey> minersWithResults) {
    lock.lock();
    try {
      if (tasks.containsKey(task.id())) {
        return;
      }
      TaskState ts = new TaskState(task, replicasNeeded);
      ts.miners.addAll(minersWithResults);
      ts.results = minersWithResults.size();
      tasks.put(task.id(), ts);
      refresh(ts);
    } finally {
      unlock();
    }
  }

  /** Adds new tasks, each needing {@code replicasNeeded} results, in one step (waiters are woken once). */
  public void addTasks(Collection<Task> newTasks, int replicasNeeded) {
    addTasks(newTasks, task -> replicasNeeded);
  }

  /**
   * Adds new tasks in one step (waiters are woken once), each needing {@code replicasNeeded.applyAsInt(task)} results.
   * They are offered in the order given, whatever their replica counts, so tasks of different counts (gold and
   * ordinary) interleave as they come. Tasks already pooled are skipped.
   */
  public void addTasks(Collection<Task> newTasks, ToIntFunction<Task> replicasNeeded) {
    lock.lock();
    try {
      for (Task task : newTasks) {
        if (!tasks.containsKey(task.id())) {
          TaskState ts = new TaskState(task, replicasNeeded.applyAsInt(task));
          tasks.put(task.id(), ts);
          refresh(ts);
        }
      }
    } finally {
      unlock();
    }
  }

  /** Tasks in the pool that still wait for a verdict. */
  public int pendingTasks() {
    lock.lock();
    try {
      return tasks.size();
    } finally {
      unlock();
    }
  }

  public int openLeases(PublicKey miner) {
    lock.lock();
    try {
      MinerState m = miners.get(miner);
      return m == null ? 0 : m.open.size();
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------ leasing

  /**
   * Leases up to {@code maxTasks} tasks to {@code miner}, waiting up to {@code wait} (capped by the settings) when
   * none is ready. A miner already holding its maximum of open leases gets none, at once.
   */
  public List<LeaseView> lease(PublicKey miner, int maxTasks, Duration wait) throws InterruptedException {
    long waitNanos = Math.max(0, Math.min(wait.toNanos(), settings.maxWait().toNanos()));
    long until = System.nanoTime() + waitNanos;
    lock.lock();
    try {
      MinerState m = miners.get(miner);
      if (m == null) {
        throw new ApiException(ApiException.Code.FAILED_PRECONDITION, "miner " + miner + " must register first");
      }
      List<Pool> pools = m.pools();
      List<LeaseView> granted = new ArrayList<>();
      while (true) {
        if (paused) {
          return granted;
        }
        long now = clockMs.getAsLong();
        expireDue(now);
        int room = Math.min(maxTasks, settings.maxOpenLeasesPerMiner() - m.open.size());
        while (granted.size() < room) {
          TaskState ts = pick(pools, m, granted.size());
          if (ts == null) {
            break;
          }
          granted.add(grant(ts, m, now));
        }
        long remaining = until - System.nanoTime();
        if (!granted.isEmpty() || room <= 0 || remaining <= 0) {
          // Picked partially replicated tasks first, so a batch would list second replicas before fresh tasks, and
          // gold tasks (one replica, never partial) only in the fresh tail. Shuffled, a task's place in its batch
          // says nothing about it.
          Collections.shuffle(granted, random);
          return granted;
        }
        Expiry next = expiries.peek();
        long sleep = next == null
            ? remaining
            : Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(next.deadlineMs - now + 1));
        signalWoken();
        Condition wakeUp = pools.size() == 1 ? pools.get(0).available : anyPool;
        wakeUp.awaitNanos(Math.max(sleep, TimeUnit.MILLISECONDS.toNanos(1)));
        // The miner may have registered again (another teacher, other kinds) while we waited.
        pools = m.pools();
      }
    } finally {
      unlock();
    }
  }

  /** Whether another miner of {@code m}'s operator already holds or answered the task. */
  private boolean sharesOperator(TaskState ts, MinerState m) {
    if (m.operator == null) {
      return false;
    }
    for (PublicKey other : ts.miners) {
      MinerState o = miners.get(other);
      if (o != null && m.operator.equals(o.operator)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Stops leasing (a shutdown): waiting long polls return at once, empty, and new ones get nothing, so a stopping
   * server is not held up by them. Submissions and heartbeats go on. {@code resumeLeasing} undoes it.
   */
  public void pauseLeasing() {
    lock.lock();
    try {
      paused = true;
      anyPool.signalAll();
      pools.values().forEach(p -> p.available.signalAll());
    } finally {
      unlock();
    }
  }

  public void resumeLeasing() {
    lock.lock();
    try {
      paused = false;
    } finally {
      unlock();
    }
  }

  /** Takes turns between the miner's pools so that neither kind starves the other. */
  private TaskState pick(List<Pool> pools, MinerState m, int turn) {
    boolean freshOnly = onProbation.test(m.key);
    for (int i = 0; i < pools.size(); i++) {
      Pool pool = pools.get((turn + i) % pools.size());
      TaskState ts = pool.pick(m.key, pool.compress ? m::accepts : null, t -> sharesOperator(t, m), freshOnly);
      if (ts != null) {
        return ts;
      }
    }
    return null;
  }

  private LeaseView grant(TaskState ts, MinerState m, long now) {
    if (ts.miners.isEmpty() && ts.results == 0 && ts.open == 0 && ts.needed > 1) {
      ts.needed = Math.max(1, Math.min(ts.needed, replication.replicas(m.key, ts.task, ts.needed)));
    }
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return open(ts, m, nonce, now + settings.leaseDuration().toMillis());
  }

  private LeaseView open(TaskState ts, MinerState m, byte[] nonce, long deadlineMs) {
    LeaseEntry lease = new LeaseEntry(ts.task, m.key, nonce, deadlineMs);
    leases.put(ByteBuffer.wrap(nonce), lease);
    m.open.put(ts.task.id(), lease);
    ts.miners.add(m.key);
    ts.open++;
    expiries.add(new Expiry(lease.deadlineMs, lease));
    refresh(ts);
    return lease.view();
  }

  /**
   * Reopens a lease that was open before a restart, under its old nonce and deadline, so the miner holding it keeps
   * the task and its result is accepted. Returns false, changing nothing, when the lease cannot stand: its deadline
   * has passed, the task is not pooled (settled or unknown), the miner is not registered, or the miner already holds
   * or has delivered the task.
   */
  public boolean restoreLease(String taskId, PublicKey miner, byte[] nonce, long deadlineMs) {
    lock.lock();
    try {
      TaskState ts = tasks.get(taskId);
      MinerState m = miners.get(miner);
      if (ts == null || m == null || deadlineMs <= clockMs.getAsLong() || ts.miners.contains(miner)
          || leases.containsKey(ByteBuffer.wrap(nonce))) {
        return false;
      }
      open(ts, m, nonce.clone(), deadlineMs);
      return true;
    } finally {
      unlock();
    }
  }

  /**
   * The nonces of leases that expired or were cancelled since the last call, so their stored copies can be dropped.
   * Only the most recent {@value #MAX_RETIRED} are kept between calls; older ones are dropped at the next restart.
   */
  public List<byte[]> takeRetired() {
    lock.lock();
    try {
      List<byte[]> out = List.copyOf(retired);
      retired.clear();
      return out;
    } finally {
      unlock();
    }
  }

  private static final int MAX_RETIRED = 100_000;

  // ------------------------------------------------------------------ submitting

  /**
   * Claims an open lease for a submission: checks that it exists, belongs to {@code miner}, is for {@code taskId}
   * and has not expired, and holds it so that it can neither expire nor be claimed twice while the result is checked.
   * Follow with {@link #complete} or {@link #release}.
   */
  public LeaseView reserve(byte[] nonce, PublicKey miner, String taskId) {
    lock.lock();
    try {
      long now = clockMs.getAsLong();
      expireDue(now);
      if (!tasks.containsKey(taskId)) {
        throw ApiException.notFound("task " + taskId + " is not open (unknown, or already verified)");
      }
      LeaseEntry lease = nonce == null ? null : leases.get(ByteBuffer.wrap(nonce));
      if (lease == null) {
        throw ApiException.notFound("no lease with this nonce for task " + taskId);
      }
      if (!lease.task.id().equals(taskId)) {
        throw ApiException.invalid("the lease was issued for task " + lease.task.id() + ", not " + taskId);
      }
      if (!lease.miner.equals(miner)) {
        throw new ApiException(ApiException.Code.PERMISSION_DENIED, "the lease belongs to another miner");
      }
      switch (lease.state) {
        case EXPIRED -> throw new ApiException(
            ApiException.Code.FAILED_PRECONDITION,
            "the lease for task " + taskId + " is no longer open: it expired at " + lease.deadlineMs + " (now " + now
                + ") or the task was settled");
        case SUBMITTING, SUBMITTED -> throw new ApiException(
            ApiException.Code.ALREADY_EXISTS,
            "a result for this lease is already " + (lease.state == State.SUBMITTED ? "accepted" : "being checked"));
        case OPEN -> lease.state = State.SUBMITTING;
      }
      return lease.view();
    } finally {
      unlock();
    }
  }

  /** Gives a reserved lease back (the result was refused); it expires at its deadline as before. */
  public void release(byte[] nonce) {
    lock.lock();
    try {
      LeaseEntry lease = leases.get(ByteBuffer.wrap(nonce));
      if (lease != null && lease.state == State.SUBMITTING) {
        lease.state = State.OPEN;
        expiries.add(new Expiry(lease.deadlineMs, lease));
      }
    } finally {
      unlock();
    }
  }

  /** What happened to a task when one of its results was accepted. */
  public record Completion(Task task, int replicasNeeded, boolean ready) {}

  /**
   * Closes a reserved lease after its result was stored. When the task now has all the results it needs, it leaves
   * the pool ({@code ready}) until {@link #addReplica} or {@link #finish} says what happens next.
   */
  public Completion complete(byte[] nonce) {
    lock.lock();
    try {
      LeaseEntry lease = leases.get(ByteBuffer.wrap(nonce));
      if (lease == null || lease.state != State.SUBMITTING) {
        throw new IllegalStateException("lease was not reserved");
      }
      lease.state = State.SUBMITTED;
      // The ledger answers repeated submissions of an accepted result, so the lease need not be remembered.
      leases.remove(ByteBuffer.wrap(nonce));
      MinerState m = miners.get(lease.miner);
      if (m != null) {
        m.open.remove(lease.task.id(), lease);
      }
      TaskState ts = tasks.get(lease.task.id());
      ts.open--;
      ts.results++;
      boolean ready = ts.results >= ts.needed;
      ts.settling = ready;
      refresh(ts);
      return new Completion(ts.task, ts.needed, ready);
    } finally {
      unlock();
    }
  }

  /** Asks for one more replica of a task whose results disagreed (a tie-break). */
  public void addReplica(String taskId, int replicasNeeded) {
    lock.lock();
    try {
      TaskState ts = tasks.get(taskId);
      if (ts != null) {
        ts.needed = replicasNeeded;
        ts.requested = replicasNeeded;
        ts.settling = false;
        refresh(ts);
      }
    } finally {
      unlock();
    }
  }

  /** Removes a settled task; any lease still open on it is cancelled. */
  public void finish(String taskId) {
    lock.lock();
    try {
      TaskState ts = tasks.remove(taskId);
      if (ts == null) {
        return;
      }
      ts.settling = true;
      refresh(ts);
      for (PublicKey key : ts.miners) {
        MinerState m = miners.get(key);
        LeaseEntry lease = m == null ? null : m.open.remove(taskId);
        if (lease != null && lease.state == State.OPEN) {
          lease.state = State.EXPIRED;
          retire(lease);
        }
      }
    } finally {
      unlock();
    }
  }

  /**
   * Extends the miner's open leases on {@code taskIds} by a lease duration from now and returns the ids among them
   * the miner no longer holds (expired, settled or unknown), which it should drop.
   */
  public List<String> heartbeat(PublicKey miner, Collection<String> taskIds) {
    lock.lock();
    try {
      long now = clockMs.getAsLong();
      expireDue(now);
      MinerState m = miners.get(miner);
      List<String> cancelled = new ArrayList<>();
      for (String id : taskIds) {
        LeaseEntry lease = m == null ? null : m.open.get(id);
        if (lease == null) {
          cancelled.add(id);
        } else if (lease.state == State.OPEN) {
          lease.deadlineMs = now + settings.leaseDuration().toMillis();
          expiries.add(new Expiry(lease.deadlineMs, lease));
        }
      }
      return cancelled;
    } finally {
      unlock();
    }
  }

  /** Returns every lease whose deadline has passed to the pool now (also done lazily by every call). */
  public void expireDue() {
    lock.lock();
    try {
      expireDue(clockMs.getAsLong());
    } finally {
      unlock();
    }
  }

  public Optional<LeaseView> openLease(PublicKey miner, String taskId) {
    lock.lock();
    try {
      MinerState m = miners.get(miner);
      LeaseEntry lease = m == null ? null : m.open.get(taskId);
      return Optional.ofNullable(lease).map(LeaseEntry::view);
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------ internals (lock held)

  private void expireDue(long now) {
    Expiry next;
    while ((next = expiries.peek()) != null && next.deadlineMs <= now) {
      expiries.poll();
      LeaseEntry lease = next.lease;
      if (lease.state != State.OPEN || lease.deadlineMs > now) {
        continue; // settled, or extended by a heartbeat (a later entry is queued)
      }
      lease.state = State.EXPIRED;
      retire(lease);
      MinerState m = miners.get(lease.miner);
      if (m != null) {
        m.open.remove(lease.task.id(), lease);
      }
      TaskState ts = tasks.get(lease.task.id());
      if (ts != null) {
        ts.open--;
        // The miner never delivered, so it may take the task again later.
        ts.miners.remove(lease.miner);
        if (ts.miners.isEmpty() && ts.results == 0) {
          // Adaptive replication lowered the count for the miner that took the task first; that miner is gone, so
          // whoever takes it next is judged afresh (else an untrusted miner would inherit a trusted one's single
          // replica and be credited unchecked).
          ts.needed = ts.requested;
        }
        refresh(ts);
      }
    }
    long horizon = now - settings.retention().toMillis();
    while (!closed.isEmpty() && closed.peekFirst().closedAtMs <= horizon) {
      LeaseEntry old = closed.pollFirst();
      leases.remove(ByteBuffer.wrap(old.nonce));
    }
  }

  private void retire(LeaseEntry lease) {
    lease.closedAtMs = clockMs.getAsLong();
    closed.addLast(lease);
    if (retired.size() < MAX_RETIRED) {
      retired.add(lease.nonce);
    }
  }

  /** Puts the task in the right queue of its pool (or none) and wakes waiters when it becomes available. */
  private void refresh(TaskState ts) {
    Pool pool = pool(poolKey(ts.task));
    boolean available = !ts.settling && tasks.get(ts.task.id()) == ts && ts.open + ts.results < ts.needed;
    LinkedHashSet<TaskState> target = !available ? null : ts.miners.isEmpty() ? pool.fresh : pool.partial;
    if (target == ts.queue) {
      return;
    }
    if (ts.queue != null) {
      ts.queue.remove(ts);
    }
    ts.queue = target;
    if (target != null) {
      target.add(ts);
      if (!pool.woken) {
        pool.woken = true;
        woken.add(pool);
      }
    }
  }

  /**
   * Wakes the waiters of every pool that gained tasks during this call. Any waiter of the teacher may be able to
   * take them (one that cannot goes back to waiting), and waking once per call rather than once per task keeps a
   * bulk add or a sweep of many expiries from waking every waiter over and over.
   */
  private void signalWoken() {
    if (!woken.isEmpty()) {
      anyPool.signalAll();
    }
    for (Pool pool : woken) {
      pool.woken = false;
      pool.available.signalAll();
    }
    woken.clear();
  }

  private void unlock() {
    signalWoken();
    lock.unlock();
  }

  private Pool pool(Object key) {
    return pools.computeIfAbsent(key, k -> new Pool(lock.newCondition(), k == COMPRESS_POOL));
  }

  private static Object poolKey(Task task) {
    return task.kind() == TaskKind.COMPRESS ? COMPRESS_POOL : task.teacher();
  }

  private static final class Pool {
    final LinkedHashSet<TaskState> partial = new LinkedHashSet<>();
    final LinkedHashSet<TaskState> fresh = new LinkedHashSet<>();
    final Condition available;
    final boolean compress;
    boolean woken;

    Pool(Condition available, boolean compress) {
      this.available = available;
      this.compress = compress;
    }

    /**
     * The first task the miner does not hold yet, that {@code fits} (null: any) accepts and that is not
     * {@code taken} by another miner of its operator (only partially replicated tasks have holders); a fresh one if
     * {@code freshOnly}.
     */
    TaskState pick(PublicKey miner, Predicate<Task> fits, Predicate<TaskState> taken, boolean freshOnly) {
      for (Iterator<TaskState> it = partial.iterator(); !freshOnly && it.hasNext(); ) {
        TaskState ts = it.next();
        if (!ts.miners.contains(miner) && (fits == null || fits.test(ts.task)) && !taken.test(ts)) {
          return ts;
        }
      }
      if (fits == null) {
        return fresh.isEmpty() ? null : fresh.iterator().next();
      }
      for (TaskState ts : fresh) {
        if (fits.test(ts.task)) {
          return ts;
        }
      }
      return null;
    }
  }

  private static final class TaskState {
    final Task task;
    final Set<PublicKey> miners = new HashSet<>();
    /** The count asked for when the task was added or re-issued, before adaptive replication lowered it. */
    int requested;
    int needed;
    int open;
    int results;
    boolean settling;
    LinkedHashSet<TaskState> queue;

    TaskState(Task task, int needed) {
      this.task = task;
      this.requested = needed;
      this.needed = needed;
    }
  }

  private final class MinerState {
    final PublicKey key;
    final Map<String, LeaseEntry> open = new LinkedHashMap<>();
    TeacherId teacher;
    boolean compress;
    Set<String> codecs = Set.of();
    String operator;

    MinerState(PublicKey key) {
      this.key = key;
    }

    /** The pools this miner draws from: its teacher's first, then the compress pool. */
    List<Pool> pools() {
      List<Pool> out = new ArrayList<>(2);
      if (teacher != null) {
        out.add(pool(teacher));
      }
      if (compress) {
        out.add(pool(COMPRESS_POOL));
      }
      return out;
    }

    /** A compress task it can do: no codec list was given, or one of its codecs is allowed. */
    boolean accepts(Task task) {
      if (codecs.isEmpty()) {
        return true;
      }
      for (String allowed : task.compress().allowedCodecs()) {
        if (codecs.contains(allowed)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class LeaseEntry {
    final Task task;
    final PublicKey miner;
    final byte[] nonce;
    long deadlineMs;
    long closedAtMs;
    State state = State.OPEN;

    LeaseEntry(Task task, PublicKey miner, byte[] nonce, long deadlineMs) {
      this.task = task;
      this.miner = miner;
      this.nonce = nonce;
      this.deadlineMs = deadlineMs;
    }

    LeaseView view() {
      return new LeaseView(task, miner, nonce.clone(), deadlineMs);
    }
  }

  private record Expiry(long deadlineMs, LeaseEntry lease) implements Comparable<Expiry> {
    @Override
    public int compareTo(Expiry o) {
      return Long.compare(deadlineMs, o.deadlineMs);
    }
  }
}
