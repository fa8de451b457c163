package network.subnet.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import network.subnet.node.api.Lease;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ledger.MinerStats;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Many miners leasing and submitting at once: every task settles, nothing is lost, nothing is credited twice. */
class ConcurrentMinersTest {

  @Test
  void honestMinersSettleEveryTaskAndTheCheaterIsOutvoted() throws Exception {
    int tasks = 300;
    InMemoryStorage storage = new InMemoryStorage();
    ValidatorNode validator = new ValidatorNode(
        ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), storage, LocalSigner.generate(),
        System::currentTimeMillis);
    List<network.subnet.validator.tasks.Task> all = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      all.add(Fixtures.task(i, 8));
    }
    validator.addTasks(all);

    List<LocalSigner> miners = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      LocalSigner m = LocalSigner.generate();
      validator.register(m.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
      miners.add(m);
    }
    LocalSigner cheater = miners.get(0);
    AtomicInteger accepted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(miners.size());
    List<Future<?>> running = new ArrayList<>();
    for (LocalSigner m : miners) {
      running.add(pool.submit(() -> {
        while (validator.networkStatus().tasksPending() > 0) {
          for (Lease lease : validator.lease(m.publicKey(), 4, Duration.ofMillis(20))) {
            var labels = m == cheater ? Fixtures.dishonest(lease.distill()) : Fixtures.honest(lease.distill());
            SubmitOutcome outcome = validator.submit(m.publicKey(), Fixtures.signed(m, lease, labels));
            assertThat(outcome.status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
            accepted.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(validator.networkStatus().tasksVerified()).isEqualTo(tasks);
    MinerStats cheat = validator.ledger().stats(cheater.publicKey());
    assertThat(cheat.credits()).isZero();
    long honestCredits =
        miners.stream().skip(1).mapToLong(m -> validator.ledger().stats(m.publicKey()).credits()).sum();
    long cheaterTasks = cheat.resultsRejected();
    // Every task credits exactly two honest replicas; each task the cheater touched took one extra (tie-break) result.
    assertThat(cheaterTasks).isPositive();
    assertThat(honestCredits).isEqualTo(2L * tasks * 8);
    assertThat(accepted.get()).isEqualTo(2 * tasks + (int) cheaterTasks);

    ValidatorNode restarted = new ValidatorNode(
        ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), storage, LocalSigner.generate(),
        System::currentTimeMillis);
    assertThat(restarted.ledger().stats(miners.get(1).publicKey()))
        .isEqualTo(validator.ledger().stats(miners.get(1).publicKey()));
    assertThat(restarted.networkStatus().tasksPending()).isZero();
  }
}
