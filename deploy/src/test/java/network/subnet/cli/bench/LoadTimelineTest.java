package network.subnet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.node.storage.KeyValueStorage;
import org.junit.jupiter.api.Test;

class LoadTimelineTest {

  @Test
  void slowestCallsComeSlowestFirstWithTheirStartTimes() {
    LatencyLog a = new LatencyLog();
    LatencyLog b = new LatencyLog();
    for (int i = 0; i < 100; i++) {
      a.record(1_000L * i, 10L * i);
    }
    b.record(7, 5_000);
    b.record(8, 995);

    List<LatencyLog.Sample> slowest = LatencyLog.slowest(List.of(a, b), 3);

    assertThat(slowest).containsExactly(
        new LatencyLog.Sample(7, 5_000), new LatencyLog.Sample(8, 995), new LatencyLog.Sample(99_000, 990));
    assertThat(LatencyLog.merged(List.of(a, b))).hasSize(102);
    assertThat(LatencyLog.slowest(List.of(a), 0)).isEmpty();
    assertThat(LatencyLog.slowerThan(List.of(a, b), 980))
        .containsExactlyInAnyOrder(new LatencyLog.Sample(7, 5_000), new LatencyLog.Sample(8, 995),
            new LatencyLog.Sample(99_000, 990));
  }

  @Test
  void eventsOverlappingAWindowAreThoseThatStartBeforeItsEndAndEndAfterItsStart() {
    List<RunTimeline.Event> events = List.of(
        new RunTimeline.Event("before", 0, 10),
        new RunTimeline.Event("into", 15, 10),
        new RunTimeline.Event("inside", 30, 25),
        new RunTimeline.Event("short", 40, 1),
        new RunTimeline.Event("after", 61, 5));

    assertThat(RunTimeline.overlapping(events, 20, 60, 5))
        .extracting(RunTimeline.Event::what)
        .containsExactly("into", "inside");
  }

  @Test
  void timedStorageCommitsThroughAndRecordsOnlySlowCommits() {
    long start = System.nanoTime();
    try (RunTimeline timeline = new RunTimeline(start);
        KeyValueStorage storage = new TimedStorage(new InMemoryStorage(), timeline)) {
      try (KeyValueStorage.WriteBatch batch = storage.batch()) {
        batch.put(Column.TASKS, new byte[] {1}, new byte[] {2});
        batch.delete(Column.TASKS, new byte[] {3});
        batch.commit();
      }
      assertThat(storage.get(Column.TASKS, new byte[] {1})).hasValue(new byte[] {2});

      timeline.commit(start + 2_000_000, 1_000_000, 4);
      timeline.commit(start + 10_000_000, 30_000_000, 7);

      List<RunTimeline.Event> slow = new ArrayList<>(timeline.slowCommits());
      slow.removeIf(e -> e.durationMs() < 30);
      assertThat(slow).containsExactly(new RunTimeline.Event("storage commit of 7 writes", 10, 30));
      assertThat(timeline.overlapping(0, 5, 0)).noneMatch(e -> e.what().contains("of 7 writes"));
    }
  }
}
