package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.Lease;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.TrustConfig;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.ledger.VerdictRecord;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Gold tasks, adaptive replication, held-back credit and verdict evidence, with in-memory storage. */
class TrustTest {

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final InMemoryStorage storage = new InMemoryStorage();
  private final LocalSigner validatorKey = LocalSigner.generate();
  private final AtomicInteger referenceCalls = new AtomicInteger();
  private final java.util.Set<String> referenceThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final ReferenceTeacher reference = task -> {
    referenceCalls.incrementAndGet();
    referenceThreads.add(Thread.currentThread().getName());
    return Fixtures.honest(task.spec());
  };

  private ValidatorNode validator(TrustConfig trust, ReferenceTeacher ref) {
    return new ValidatorNode(ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), trust, ref,
        storage, validatorKey, clock);
  }

  private static List<Task> tasks(int from, int n) {
    List<Task> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(Fixtures.task(i));
    }
    return out;
  }

  private static LocalSigner miner(ValidatorNode v) {
    LocalSigner m = LocalSigner.generate();
    v.register(m.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
    return m;
  }

  /** Leases one task and answers it; returns the task id, or null when nothing was leased. */
  private static String work(ValidatorNode v, LocalSigner m, Function<DistillSpec, SoftLabels> answer) {
    List<Lease> leases = v.lease(m.publicKey(), 1, Duration.ZERO);
    if (leases.isEmpty()) {
      return null;
    }
    Lease lease = leases.get(0);
    v.submit(m.publicKey(), Fixtures.signed(m, lease, answer.apply(lease.distill())));
    return lease.taskId();
  }

  @Test
  void goldTasksNeedOneReplicaAndAWrongAnswerIsAProvenFault() {
    ValidatorNode v = validator(TrustConfig.defaults().withGoldFraction(0.5), reference);
    List<Task> all = tasks(0, 40);
    v.addTasks(all);
    GoldTasks gold = new GoldTasks(validatorKey, 0.5);
    List<Task> golds = all.stream().filter(t -> gold.isGold(t.id())).toList();
    assertThat(golds).hasSizeBetween(8, 32);
    for (Task t : all) {
      int expected = golds.contains(t) ? 1 : 2;
      assertThat(v.ledger().task(t.id()).orElseThrow().replicasNeeded()).isEqualTo(expected);
    }

    LocalSigner cheater = miner(v);
    LocalSigner honest = miner(v);
    LocalSigner second = miner(v);
    // The cheater works until it has answered a gold task; on ordinary tasks nobody has contradicted it yet.
    String caughtOn = null;
    for (int i = 0; i < all.size() && caughtOn == null; i++) {
      String id = work(v, cheater, Fixtures::dishonest);
      if (id != null && golds.stream().anyMatch(t -> t.id().equals(id))) {
        caughtOn = id;
      }
    }
    assertThat(caughtOn).isNotNull();
    assertThat(v.ledger().result(caughtOn, cheater.publicKey()).orElseThrow().status())
        .isEqualTo(ResultRecord.Status.REJECTED);
    assertThat(v.ledger().forfeited(cheater.publicKey())).isTrue();
    assertThat(v.ledger().trust(cheater.publicKey()).faultsTotal()).isEqualTo(1);

    List<VerdictRecord> verdicts = v.ledger().verdictsFor(cheater.publicKey(), 0);
    VerdictRecord rejected = verdicts.stream()
        .filter(r -> r.outcome() == VerdictRecord.Outcome.REJECTED).findFirst().orElseThrow();
    assertThat(rejected.rule()).contains("gold");
    assertThat(rejected.measures()).extracting(VerdictRecord.Measure::name)
        .containsExactly("top1_agreement", "mean_abs_logprob_diff");
    assertThat(rejected.measures().get(0).value()).isLessThan(0.98);
    VerdictRecord.Evidence own = rejected.evidence().get(0);
    assertThat(own.miner()).isEqualTo(cheater.publicKey());
    assertThat(cheater.publicKey().verify(own.digest(), own.signature())).isTrue();
    assertThat(verdicts).extracting(VerdictRecord::outcome).contains(VerdictRecord.Outcome.FORFEITED);

    // Two honest miners finish everything, taking turns: gold tasks come mixed with ordinary ones, so the cheater may
    // be caught before it touched most ordinary tasks, and those need two distinct honest replicas. The cheater's
    // ordinary tasks are decided by the reference.
    boolean working = true;
    while (working) {
      boolean first = work(v, honest, Fixtures::honest) != null;
      working = work(v, second, Fixtures::honest) != null || first;
    }
    assertThat(v.networkStatus().tasksVerified()).isEqualTo(all.size());
    assertThat(v.ledger().stats(cheater.publicKey()).credits()).isZero();
    assertThat(referenceThreads).as("gold answers are computed ahead, when their tasks are leased")
        .contains("gold-answers");
    long goldPassed = 0;
    for (LocalSigner m : List.of(honest, second)) {
      List<ResultRecord> answered = all.stream().flatMap(t -> v.ledger().result(t.id(), m.publicKey()).stream())
          .toList();
      assertThat(answered).extracting(ResultRecord::status).containsOnly(ResultRecord.Status.AGREED);
      assertThat(v.ledger().stats(m.publicKey()).credits()).isEqualTo(6L * answered.size());
      goldPassed += v.ledger().verdictsFor(m.publicKey(), 0).stream().filter(r -> r.rule().contains("gold"))
          .filter(r -> r.outcome() == VerdictRecord.Outcome.CREDITED).count();
    }
    assertThat(goldPassed).as("each gold task passed once by an honest miner (the cheater's after it failed)")
        .isEqualTo(golds.size());
    assertThat(v.ledger().trust(honest.publicKey()).consecutiveValid()
        + v.ledger().trust(second.publicKey()).consecutiveValid()).isGreaterThanOrEqualTo(golds.size());
    assertThat(v.explain(0, cheater.publicKey()).goldFailed()).as("gold results stay hidden while the epoch is open")
        .isZero();
    assertThat(v.closeEpoch().entries()).extracting(e -> e.miner())
        .containsExactlyInAnyOrder(honest.publicKey(), second.publicKey());
    assertThat(v.explain(0, cheater.publicKey()).goldFailed()).isEqualTo(1);
    assertThat(v.explain(0, honest.publicKey()).goldPassed() + v.explain(0, second.publicKey()).goldPassed())
        .isEqualTo(goldPassed);
  }

  @Test
  void goldTasksAreLeasedAmongOrdinaryOnesInInputOrder() {
    ValidatorNode v = validator(TrustConfig.defaults().withGoldFraction(0.5), reference);
    List<Task> all = tasks(0, 40);
    v.addTasks(all);
    GoldTasks gold = new GoldTasks(validatorKey, 0.5);
    LocalSigner m = miner(v);
    List<String> leased = new ArrayList<>();
    String id;
    while ((id = work(v, m, Fixtures::honest)) != null) {
      leased.add(id);
    }
    assertThat(leased).containsExactlyElementsOf(all.stream().map(Task::id).toList());
    int firstGold = 0;
    while (!gold.isGold(leased.get(firstGold))) {
      firstGold++;
    }
    int lastOrdinary = leased.size() - 1;
    while (gold.isGold(leased.get(lastOrdinary))) {
      lastOrdinary--;
    }
    assertThat(firstGold).as("gold tasks are not held back to the end").isLessThan(lastOrdinary);
    assertThat(firstGold).as("first gold task among 40, each gold with probability 1/2").isLessThan(20);
  }

  @Test
  void trustedMinersRunSingleReplicasAndAFaultHoldsTheirUnverifiedCreditBack() {
    ValidatorNode v = validator(TrustConfig.defaults().withGoldFraction(0).withTrustThreshold(2), reference);
    v.addTasks(tasks(0, 200));
    LocalSigner a = miner(v);
    LocalSigner b = miner(v);
    // Taking turns, a and b cross-check each other until both are trusted, then a works alone a while.
    for (int i = 0; i < 6; i++) {
      work(v, a, Fixtures::honest);
      work(v, b, Fixtures::honest);
    }
    assertThat(v.ledger().trust(a.publicKey()).consecutiveValid()).isGreaterThanOrEqualTo(2);
    List<String> alone = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      alone.add(work(v, a, Fixtures::honest));
    }
    List<String> unverified = alone.stream()
        .filter(id -> v.ledger().task(id).orElseThrow().status() == TaskRecord.Status.VERIFIED)
        .filter(id -> v.ledger().results(id).size() == 1)
        .toList();
    assertThat(unverified).as("a trusted miner's tasks run on one replica most of the time").hasSizeGreaterThan(10);
    long before = v.ledger().stats(a.publicKey()).credits();

    // a turns bad on a task that b cross-checks: the majority rule alone cannot say who is right, the reference can.
    String bad = null;
    while (bad == null) {
      String id = work(v, a, Fixtures::dishonest);
      if (v.ledger().task(id).orElseThrow().status() == TaskRecord.Status.PENDING) {
        bad = id;
      }
    }
    while (v.ledger().task(bad).orElseThrow().status() == TaskRecord.Status.PENDING) {
      work(v, b, Fixtures::honest);
    }
    assertThat(v.ledger().trust(a.publicKey()).consecutiveValid()).isZero();
    // Held: the honest single replicas from before, and any bad ones a ran alone since.
    List<String> held = List.copyOf(v.ledger().heldCredits(a.publicKey()).keySet());
    assertThat(held).containsAll(unverified);
    for (String id : held) {
      assertThat(v.ledger().task(id).orElseThrow().status()).isEqualTo(TaskRecord.Status.PENDING);
    }
    // a forfeited the epoch (proven against the reference), so nothing of it is paid, held back or not.
    assertThat(v.ledger().stats(a.publicKey()).credits()).isZero();
    assertThat(before).isPositive();

    // b re-checks the held tasks: where a's answers were honest the hold is released (unpaid this epoch), else dropped.
    while (v.ledger().heldCredits(a.publicKey()).size() > 0) {
      assertThat(work(v, b, Fixtures::honest)).isNotNull();
    }
    List<VerdictRecord> verdicts = v.ledger().verdictsFor(a.publicKey(), 0);
    assertThat(verdicts).filteredOn(r -> r.outcome() == VerdictRecord.Outcome.HELD).hasSize(held.size());
    assertThat(v.explain(0, a.publicKey()).heldBack()).isEqualTo(held.size());
    long released = verdicts.stream().filter(r -> r.outcome() == VerdictRecord.Outcome.RELEASED).count();
    long dropped = verdicts.stream().filter(r -> r.outcome() == VerdictRecord.Outcome.DROPPED).count();
    assertThat(released).isGreaterThanOrEqualTo(unverified.size());
    assertThat(released + dropped).isEqualTo(held.size());
    assertThat(verdicts).filteredOn(r -> r.outcome() == VerdictRecord.Outcome.RELEASED)
        .allSatisfy(r -> assertThat(r.credits()).isZero());
    assertThat(v.ledger().stats(a.publicKey()).credits()).isZero();
  }

  @Test
  void withoutAReferenceAnOutvotedMinerLosesTrustButKeepsItsOtherCredit() {
    ValidatorNode v = validator(TrustConfig.defaults().withTrustThreshold(1000), null);
    v.addTasks(tasks(0, 3));
    LocalSigner a = miner(v);
    LocalSigner b = miner(v);
    LocalSigner c = miner(v);
    // Task 1: all honest. Task 2: a cheats and is outvoted 2/3.
    String first = work(v, a, Fixtures::honest);
    work(v, b, Fixtures::honest);
    assertThat(v.ledger().task(first).orElseThrow().status()).isEqualTo(TaskRecord.Status.VERIFIED);
    String second = work(v, a, Fixtures::dishonest);
    work(v, b, Fixtures::honest);
    work(v, c, Fixtures::honest);
    assertThat(v.ledger().task(second).orElseThrow().status()).isEqualTo(TaskRecord.Status.VERIFIED);
    assertThat(v.ledger().trust(a.publicKey()).consecutiveValid()).isZero();
    assertThat(v.ledger().trust(b.publicKey()).consecutiveValid()).isEqualTo(2);
    assertThat(v.ledger().forfeited(a.publicKey())).isFalse();
    assertThat(v.ledger().stats(a.publicKey()).credits()).isEqualTo(6);
    assertThat(referenceCalls.get()).isZero();

    // Trust survives a restart.
    ValidatorNode restarted = validator(TrustConfig.defaults(), null);
    PublicKey bKey = b.publicKey();
    assertThat(restarted.ledger().trust(bKey)).isEqualTo(v.ledger().trust(bKey));
    assertThat(restarted.ledger().verdictsFor(a.publicKey(), 0)).extracting(VerdictRecord::outcome)
        .containsExactly(VerdictRecord.Outcome.CREDITED, VerdictRecord.Outcome.REJECTED);
  }
}
