package network.subnet.validator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.TaskKind;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TeacherId;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class CompressRoutingTest {

  private static final TeacherId TEACHER = TeacherId.of(Fixtures.TEACHER);

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final Scheduler scheduler = new Scheduler(SchedulerSettings.of(Duration.ofSeconds(60)), clock);

  private PublicKey miner(TeacherId teacher, boolean compress, List<String> codecs) {
    PublicKey key = LocalSigner.generate().publicKey();
    scheduler.registerMiner(key, teacher, compress, codecs);
    return key;
  }

  private static List<TaskKind> kinds(List<LeaseView> leases) {
    return leases.stream().map(l -> l.task().kind()).toList();
  }

  @Test
  void compressTasksGoOnlyToMinersThatCompressAndKnowAnAllowedCodec() throws Exception {
    Task compress = Fixtures.compressTask(1, 4, 16, 0.99);
    Task zstdOnly = Task.of(new CompressSpec(compress.compress().activations(), 0.99, List.of("zstd/1")));
    scheduler.addTask(compress, 2, Set.of());
    scheduler.addTask(zstdOnly, 1, Set.of());
    scheduler.addTask(Fixtures.task(1), 1, Set.of());

    PublicKey distillOnly = miner(TEACHER, false, List.of());
    assertThat(kinds(scheduler.lease(distillOnly, 8, Duration.ZERO))).containsExactly(TaskKind.DISTILL);

    PublicKey planeOnly = miner(null, true, List.of("plane/1"));
    List<LeaseView> got = scheduler.lease(planeOnly, 8, Duration.ZERO);
    assertThat(got).extracting(l -> l.task().id()).containsExactly(compress.id());

    PublicKey anyCodec = miner(TEACHER, true, List.of());
    assertThat(scheduler.lease(anyCodec, 8, Duration.ZERO)).extracting(l -> l.task().id())
        .containsExactlyInAnyOrder(compress.id(), zstdOnly.id());
    assertThat(got.get(0).toLease().compress().activations().data())
        .isEqualTo(compress.compress().activations().data());
  }

  @Test
  void aMinerOfBothKindsTakesTurnsAndWakesForEither() throws Exception {
    PublicKey both = miner(TEACHER, true, List.of());
    scheduler.addTask(Fixtures.task(1), 1, Set.of());
    scheduler.addTask(Fixtures.task(2), 1, Set.of());
    scheduler.addTask(Fixtures.compressTask(1, 4, 16, 0.99), 1, Set.of());
    assertThat(kinds(scheduler.lease(both, 2, Duration.ZERO)))
        .as("one of each before a second of either").containsExactlyInAnyOrder(TaskKind.DISTILL, TaskKind.COMPRESS);
    scheduler.lease(both, 8, Duration.ZERO);

    CompletableFuture<List<LeaseView>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return scheduler.lease(both, 1, Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(100);
    scheduler.addTask(Fixtures.compressTask(2, 4, 16, 0.99), 1, Set.of());
    assertThat(kinds(waiting.get(5, TimeUnit.SECONDS))).containsExactly(TaskKind.COMPRESS);
  }
}
