package network.subnet.validator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TeacherId;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Drives the scheduler with seeded random steps (tasks of one and two replicas added interleaved, leases, results,
 * tie-breaks, re-checks of settled tasks, expiries, adaptive replication, miners on probation) and checks each answer
 * against a plain model of what it owes: no task twice to a miner, never more replicas than needed, fresh tasks only
 * to a miner on probation, and an empty lease only when the miner can take nothing.
 */
class SchedulerModelTest {

  private static final TeacherId TEACHER = TeacherId.of(Fixtures.TEACHER);
  private static final int MAX_OPEN = 3;

  /** What the scheduler should know of one task. */
  private static final class Expected {
    final Task task;
    int requested;
    int needed;
    final Set<PublicKey> holders = new HashSet<>();
    final Set<PublicKey> answered = new HashSet<>();
    boolean finished;

    Expected(Task task, int needed) {
      this.task = task;
      this.requested = needed;
      this.needed = needed;
    }

    boolean availableTo(PublicKey miner, boolean onProbation) {
      return !finished && holders.size() + answered.size() < needed && !holders.contains(miner)
          && !answered.contains(miner) && !(onProbation && holders.size() + answered.size() > 0);
    }
  }

  @Test
  void randomRunsMatchTheModel() throws Exception {
    for (int seed = 0; seed < 200; seed++) {
      new Run(seed).play(300);
    }
  }

  private static final class Run {
    final Random random;
    final Fixtures.Clock clock = new Fixtures.Clock();
    final Set<PublicKey> trusted = new HashSet<>();
    final Set<PublicKey> probation = new HashSet<>();
    final Scheduler scheduler;
    final List<PublicKey> miners = new ArrayList<>();
    final Map<String, Expected> tasks = new LinkedHashMap<>();
    final List<LeaseView> open = new ArrayList<>();
    final StringBuilder trace = new StringBuilder();
    int nextTask;

    Run(int seed) {
      random = new Random(seed);
      scheduler = new Scheduler(
          new SchedulerSettings(Duration.ofSeconds(10), MAX_OPEN, Duration.ofSeconds(1), Duration.ofSeconds(100)),
          clock, (miner, task, needed) -> trusted.contains(miner) ? 1 : needed, probation::contains);
      int count = 2 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        byte[] key = new byte[PublicKey.LENGTH];
        random.nextBytes(key);
        PublicKey miner = new PublicKey(key);
        miners.add(miner);
        scheduler.registerMiner(miner, TEACHER);
        switch (random.nextInt(4)) {
          case 0 -> trusted.add(miner);
          case 1 -> probation.add(miner);
          default -> { }
        }
      }
      trace.append("seed ").append(seed).append(", of ").append(count).append(" miners ").append(trusted.size())
          .append(" trusted, ").append(probation.size()).append(" on probation");
    }

    void play(int steps) throws Exception {
      for (int i = 0; i < steps; i++) {
        int op = random.nextInt(10);
        if (op == 0) {
          add();
        } else if (op <= 4) {
          lease(miners.get(random.nextInt(miners.size())), 1 + random.nextInt(2));
        } else if (op <= 7) {
          submit();
        } else if (op == 8) {
          expire();
        } else {
          recheck();
        }
      }
    }

    /** A batch of gold-like (one replica) and ordinary (two) tasks in random order. */
    void add() {
      List<Task> batch = new ArrayList<>();
      Map<String, Integer> replicas = new HashMap<>();
      for (int n = 1 + random.nextInt(6); n > 0; n--) {
        Task task = Fixtures.task(nextTask++);
        int r = 1 + random.nextInt(2);
        batch.add(task);
        replicas.put(task.id(), r);
        tasks.put(task.id(), new Expected(task, r));
      }
      scheduler.addTasks(batch, t -> replicas.get(t.id()));
      log("add " + replicas.values());
    }

    void lease(PublicKey miner, int want) throws Exception {
      List<LeaseView> got = scheduler.lease(miner, want, Duration.ZERO);
      log("lease " + miners.indexOf(miner) + " wants " + want + " gets " + got.size());
      for (LeaseView lease : got) {
        Expected t = tasks.get(lease.task().id());
        assertThat(t.availableTo(miner, probation.contains(miner))).as("leased %s\n%s", lease.task().id(), trace)
            .isTrue();
        if (t.holders.isEmpty() && t.answered.isEmpty() && trusted.contains(miner)) {
          t.needed = 1;
        }
        t.holders.add(miner);
        open.add(lease);
      }
      long held = open.stream().filter(l -> l.miner().equals(miner)).count();
      if (got.size() < want && held < MAX_OPEN) {
        for (Expected t : tasks.values()) {
          assertThat(t.availableTo(miner, probation.contains(miner)))
              .as("task %s (needs %d, %d out, %d in) withheld from miner %d\n%s", t.task.id(), t.needed,
                  t.holders.size(), t.answered.size(), miners.indexOf(miner), trace)
              .isFalse();
        }
      }
    }

    /** Delivers an open lease; a complete task is then finished or, as after a disagreement, asks one more replica. */
    void submit() {
      if (open.isEmpty()) {
        return;
      }
      LeaseView lease = open.remove(random.nextInt(open.size()));
      Expected t = tasks.get(lease.task().id());
      scheduler.reserve(lease.nonce(), lease.miner(), lease.task().id());
      Scheduler.Completion done = scheduler.complete(lease.nonce());
      t.holders.remove(lease.miner());
      t.answered.add(lease.miner());
      log("submit " + miners.indexOf(lease.miner()) + " ready " + done.ready());
      assertThat(done.ready()).as("%s", trace).isEqualTo(t.answered.size() >= t.needed);
      assertThat(done.replicasNeeded()).as("%s", trace).isEqualTo(t.needed);
      if (done.ready()) {
        if (random.nextInt(3) == 0) {
          t.needed = t.answered.size() + 1;
          t.requested = t.needed;
          scheduler.addReplica(t.task.id(), t.needed);
          log("tie-break: " + t.needed + " replicas");
        } else {
          scheduler.finish(t.task.id());
          t.finished = true;
          log("finish");
        }
      }
    }

    void expire() {
      clock.advance(random.nextInt(6_000));
      scheduler.expireDue();
      long now = clock.getAsLong();
      for (Iterator<LeaseView> it = open.iterator(); it.hasNext(); ) {
        LeaseView lease = it.next();
        if (lease.deadlineMs() <= now) {
          it.remove();
          Expected t = tasks.get(lease.task().id());
          t.holders.remove(lease.miner());
          if (t.holders.isEmpty() && t.answered.isEmpty()) {
            t.needed = t.requested;
          }
        }
      }
      log("clock " + now);
    }

    /** Reopens a settled task for one more replica, as held-back credit is re-checked. */
    void recheck() {
      List<Expected> settled = tasks.values().stream().filter(t -> t.finished).toList();
      if (settled.isEmpty()) {
        return;
      }
      Expected t = settled.get(random.nextInt(settled.size()));
      t.finished = false;
      t.needed = t.answered.size() + 1;
      t.requested = t.needed;
      scheduler.addTask(t.task, t.needed, Set.copyOf(t.answered));
      log("re-check: " + t.needed + " replicas");
    }

    void log(String step) {
      trace.append('\n').append(step);
    }
  }
}
