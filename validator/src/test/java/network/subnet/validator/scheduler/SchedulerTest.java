package network.subnet.validator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import network.subnet.node.api.ApiException;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TeacherId;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  private static final TeacherId TEACHER = TeacherId.of(Fixtures.TEACHER);

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final Scheduler scheduler = new Scheduler(SchedulerSettings.of(Duration.ofSeconds(60)), clock);

  private PublicKey miner(TeacherId teacher) {
    PublicKey key = LocalSigner.generate().publicKey();
    scheduler.registerMiner(key, teacher);
    return key;
  }

  @Test
  void eachTaskGoesToReplicaCountDistinctMinersOnly() throws Exception {
    scheduler.addTask(Fixtures.task(1), 2, Set.of());
    PublicKey a = miner(TEACHER);
    PublicKey b = miner(TEACHER);
    PublicKey c = miner(TEACHER);

    assertThat(scheduler.lease(a, 5, Duration.ZERO)).hasSize(1);
    assertThat(scheduler.lease(a, 5, Duration.ZERO)).as("never twice to the same miner").isEmpty();
    List<LeaseView> second = scheduler.lease(b, 5, Duration.ZERO);
    assertThat(second).hasSize(1);
    assertThat(second.get(0).miner()).isEqualTo(b);
    assertThat(scheduler.lease(c, 5, Duration.ZERO)).as("both replicas are out").isEmpty();
  }

  @Test
  void expiredLeaseReturnsTheTaskToThePool() throws Exception {
    scheduler.addTask(Fixtures.task(1), 1, Set.of());
    PublicKey a = miner(TEACHER);
    PublicKey b = miner(TEACHER);
    LeaseView lease = scheduler.lease(a, 1, Duration.ZERO).get(0);
    assertThat(scheduler.lease(b, 1, Duration.ZERO)).isEmpty();

    clock.advance(60_001);
    List<LeaseView> again = scheduler.lease(b, 1, Duration.ZERO);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).task().id()).isEqualTo(lease.task().id());
    assertThat(again.get(0).nonce()).isNotEqualTo(lease.nonce());
    assertThatThrownBy(() -> scheduler.reserve(lease.nonce(), a, lease.task().id()))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.FAILED_PRECONDITION));
  }

  @Test
  void heartbeatKeepsALeaseAliveAndNamesTasksToDrop() throws Exception {
    scheduler.addTask(Fixtures.task(1), 1, Set.of());
    PublicKey a = miner(TEACHER);
    LeaseView lease = scheduler.lease(a, 1, Duration.ZERO).get(0);
    clock.advance(50_000);
    assertThat(scheduler.heartbeat(a, List.of(lease.task().id(), "gone"))).containsExactly("gone");
    clock.advance(50_000);
    assertThat(scheduler.openLease(a, lease.task().id())).isPresent();
    clock.advance(20_000);
    assertThat(scheduler.heartbeat(a, List.of(lease.task().id()))).containsExactly(lease.task().id());
  }

  @Test
  void minersOfAnotherTeacherGetNothing() throws Exception {
    scheduler.addTask(Fixtures.task(1), 2, Set.of());
    PublicKey other = miner(TeacherId.of(Fixtures.OTHER_TEACHER));
    assertThat(scheduler.lease(other, 4, Duration.ofMillis(50))).isEmpty();
    assertThat(scheduler.lease(miner(TEACHER), 4, Duration.ZERO)).hasSize(1);
  }

  @Test
  void unregisteredMinerIsToldToRegister() {
    PublicKey stranger = LocalSigner.generate().publicKey();
    assertThatThrownBy(() -> scheduler.lease(stranger, 1, Duration.ZERO))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.FAILED_PRECONDITION));
  }

  @Test
  void longPollWakesUpWhenATaskArrives() throws Exception {
    PublicKey a = miner(TEACHER);
    long start = System.nanoTime();
    CompletableFuture<List<LeaseView>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return scheduler.lease(a, 1, Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(100);
    assertThat(waiting).isNotDone();
    scheduler.addTask(Fixtures.task(7), 1, Set.of());
    List<LeaseView> got = waiting.get(5, TimeUnit.SECONDS);
    assertThat(got).hasSize(1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
  }

  @Test
  void longPollGivesUpAfterTheWait() throws Exception {
    PublicKey a = miner(TEACHER);
    long start = System.nanoTime();
    assertThat(scheduler.lease(a, 1, Duration.ofMillis(150))).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(140L, 3_000L);
  }

  @Test
  void partiallyReplicatedTasksComeFirst() throws Exception {
    scheduler.addTask(Fixtures.task(1), 2, Set.of());
    scheduler.addTask(Fixtures.task(2), 2, Set.of());
    PublicKey a = miner(TEACHER);
    PublicKey b = miner(TEACHER);
    LeaseView first = scheduler.lease(a, 1, Duration.ZERO).get(0);
    assertThat(scheduler.lease(b, 1, Duration.ZERO).get(0).task().id()).isEqualTo(first.task().id());
  }

  @Test
  void aTieBreakGoesToTheRemainingMinerAheadOfFreshTasksOfEitherCount() throws Exception {
    List<Task> mixed = List.of(Fixtures.task(1), Fixtures.task(2), Fixtures.task(3), Fixtures.task(4));
    String ordinary = mixed.get(0).id();
    scheduler.addTasks(mixed, t -> mixed.indexOf(t) % 2 == 0 ? 2 : 1);
    PublicKey a = miner(TEACHER);
    PublicKey b = miner(TEACHER);
    PublicKey c = miner(TEACHER);
    LeaseView la = scheduler.lease(a, 1, Duration.ZERO).get(0);
    LeaseView lb = scheduler.lease(b, 1, Duration.ZERO).get(0);
    assertThat(List.of(la.task().id(), lb.task().id())).containsOnly(ordinary);
    scheduler.reserve(la.nonce(), a, ordinary);
    scheduler.complete(la.nonce());
    scheduler.reserve(lb.nonce(), b, ordinary);
    assertThat(scheduler.complete(lb.nonce()).ready()).isTrue();

    scheduler.addReplica(ordinary, 3);
    assertThat(scheduler.lease(a, 1, Duration.ZERO)).extracting(l -> l.task().id()).doesNotContain(ordinary);
    assertThat(scheduler.lease(c, 1, Duration.ZERO)).extracting(l -> l.task().id()).containsExactly(ordinary);
  }

  @Test
  void aMinerOnProbationTakesFreshTasksOnlySoATieBreakWaitsForAReliableMiner() throws Exception {
    Set<PublicKey> probation = new HashSet<>();
    Scheduler s = new Scheduler(
        SchedulerSettings.of(Duration.ofSeconds(60)), clock, ReplicationPolicy.FIXED, probation::contains);
    Task ordinary = Fixtures.task(1);
    Task gold = Fixtures.task(2);
    s.addTasks(List.of(ordinary, gold), t -> t.id().equals(gold.id()) ? 1 : 2);
    List<PublicKey> miners = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      miners.add(LocalSigner.generate().publicKey());
      s.registerMiner(miners.get(i), TEACHER);
    }
    for (PublicKey m : miners.subList(0, 2)) {
      LeaseView lease = s.lease(m, 1, Duration.ZERO).get(0);
      assertThat(lease.task().id()).isEqualTo(ordinary.id());
      s.reserve(lease.nonce(), m, ordinary.id());
      s.complete(lease.nonce());
    }
    s.addReplica(ordinary.id(), 3);
    probation.add(miners.get(2));
    assertThat(s.lease(miners.get(2), 2, Duration.ZERO)).as("its last check failed: no tie-break for it")
        .extracting(l -> l.task().id()).containsExactly(gold.id());
    assertThat(s.lease(miners.get(3), 2, Duration.ZERO)).extracting(l -> l.task().id())
        .containsExactly(ordinary.id());
  }

  @Test
  void aTaskBackFromATrustedMinersExpiredLeaseIsReplicatedForAnUntrustedOne() throws Exception {
    Set<PublicKey> trusted = new HashSet<>();
    Scheduler adaptive =
        new Scheduler(SchedulerSettings.of(Duration.ofSeconds(60)), clock, (m, t, n) -> trusted.contains(m) ? 1 : n);
    Task gold = Fixtures.task(1);
    Task ordinary = Fixtures.task(2);
    adaptive.addTasks(List.of(gold, ordinary), t -> t.id().equals(gold.id()) ? 1 : 2);
    PublicKey a = LocalSigner.generate().publicKey();
    PublicKey b = LocalSigner.generate().publicKey();
    PublicKey c = LocalSigner.generate().publicKey();
    for (PublicKey m : List.of(a, b, c)) {
      adaptive.registerMiner(m, TEACHER);
    }
    trusted.add(a);
    assertThat(adaptive.lease(a, 2, Duration.ZERO)).hasSize(2);
    assertThat(adaptive.lease(b, 2, Duration.ZERO)).as("a trusted miner runs both on one replica").isEmpty();

    clock.advance(60_001);
    List<LeaseView> again = adaptive.lease(b, 2, Duration.ZERO);
    assertThat(again).extracting(l -> l.task().id()).containsExactlyInAnyOrder(gold.id(), ordinary.id());
    LeaseView mine = again.stream().filter(l -> l.task().id().equals(ordinary.id())).findFirst().orElseThrow();
    adaptive.reserve(mine.nonce(), b, ordinary.id());
    Scheduler.Completion done = adaptive.complete(mine.nonce());
    assertThat(done.ready()).as("b is not trusted: its answer needs a second replica").isFalse();
    assertThat(done.replicasNeeded()).isEqualTo(2);
    assertThat(adaptive.lease(c, 2, Duration.ZERO)).extracting(l -> l.task().id()).containsExactly(ordinary.id());
  }

  @Test
  void aBatchDoesNotListSecondReplicasBeforeFreshTasks() throws Exception {
    int freshFirst = 0;
    for (int trial = 0; trial < 40; trial++) {
      Scheduler s = new Scheduler(SchedulerSettings.of(Duration.ofSeconds(60)), clock);
      List<Task> first = List.of(Fixtures.task(1), Fixtures.task(2));
      List<Task> fresh = List.of(Fixtures.task(3), Fixtures.task(4));
      PublicKey a = LocalSigner.generate().publicKey();
      PublicKey b = LocalSigner.generate().publicKey();
      s.registerMiner(a, TEACHER);
      s.registerMiner(b, TEACHER);
      s.addTasks(first, 2);
      assertThat(s.lease(a, 2, Duration.ZERO)).hasSize(2);
      s.addTasks(fresh, 1);
      List<LeaseView> batch = s.lease(b, 4, Duration.ZERO);
      assertThat(batch).hasSize(4);
      if (fresh.stream().anyMatch(t -> t.id().equals(batch.get(0).task().id()))) {
        freshFirst++;
      }
    }
    assertThat(freshFirst).as("batches of 40 that open with a fresh task, not a second replica").isBetween(5, 35);
  }

  @Test
  void perMinerCapKeepsThePoolFair() throws Exception {
    Scheduler capped = new Scheduler(
        new SchedulerSettings(Duration.ofSeconds(60), 2, Duration.ofSeconds(1), Duration.ofMinutes(1)), clock);
    for (int i = 0; i < 10; i++) {
      capped.addTask(Fixtures.task(i), 1, Set.of());
    }
    PublicKey a = LocalSigner.generate().publicKey();
    capped.registerMiner(a, TEACHER);
    assertThat(capped.lease(a, 10, Duration.ZERO)).hasSize(2);
    assertThat(capped.lease(a, 10, Duration.ofSeconds(5))).as("at the cap: none, without waiting").isEmpty();
  }

  @Test
  void reserveChecksOwnershipAndCompleteCountsReplicas() throws Exception {
    scheduler.addTask(Fixtures.task(1), 2, Set.of());
    PublicKey a = miner(TEACHER);
    PublicKey b = miner(TEACHER);
    LeaseView la = scheduler.lease(a, 1, Duration.ZERO).get(0);
    LeaseView lb = scheduler.lease(b, 1, Duration.ZERO).get(0);
    String id = la.task().id();

    assertThatThrownBy(() -> scheduler.reserve(la.nonce(), b, id))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.PERMISSION_DENIED));
    assertThatThrownBy(() -> scheduler.reserve(new byte[16], a, id))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.NOT_FOUND));

    scheduler.reserve(la.nonce(), a, id);
    assertThat(scheduler.complete(la.nonce()).ready()).isFalse();
    scheduler.reserve(lb.nonce(), b, id);
    assertThat(scheduler.complete(lb.nonce()).ready()).isTrue();
    scheduler.finish(id);
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void tenThousandMinersEachGetDistinctReplicas() throws Exception {
    List<Task> pool = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      pool.add(Fixtures.task(i, 2));
    }
    scheduler.addTasks(pool, 2);
    Random random = new Random(7);
    List<PublicKey> miners = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      byte[] key = new byte[PublicKey.LENGTH];
      random.nextBytes(key);
      miners.add(new PublicKey(key));
      scheduler.registerMiner(miners.get(i), TEACHER);
    }
    Set<String> seen = new HashSet<>();
    for (int round = 0; round < 2; round++) {
      for (PublicKey m : miners) {
        List<LeaseView> leases = scheduler.lease(m, 2, Duration.ZERO);
        for (LeaseView l : leases) {
          if (!seen.add(l.task().id() + "/" + m)) {
            throw new AssertionError("task " + l.task().id() + " leased twice to " + m);
          }
        }
      }
    }
    assertThat(seen).as("every replica of every task is out, each to a distinct miner").hasSize(40_000);
  }
}
