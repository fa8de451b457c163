package network.subnet.cli.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What the JVM and the ledger's storage did during a run, on the run's own clock (milliseconds since its start), so
 * that a slow call can be set beside the pauses and commits it overlapped. Records the JVM's stop-the-world GC pauses
 * (from the collectors' notifications, to the millisecond) and, through {@link #commit}, the storage's slow commits.
 */
final class RunTimeline implements AutoCloseable {

  /** One thing that took time: a GC pause or a storage commit, starting {@code atMs} after the run's start. */
  record Event(String what, double atMs, double durationMs) {
    double endMs() {
      return atMs + durationMs;
    }
  }

  /** Commits shorter than this are counted but not kept as events. */
  static final double SLOW_COMMIT_MS = 5;

  private final long startNanos;
  private final Instant startedAt = Instant.now();
  private final long jvmStartNanos;
  private final ConcurrentLinkedQueue<Event> pauses = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Event> commits = new ConcurrentLinkedQueue<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onGc;

  /** Starts listening to the collectors; times are counted from {@code startNanos} ({@link System#nanoTime}). */
  RunTimeline(long startNanos) {
    this.startNanos = startNanos;
    // GC notifications give times in milliseconds of JVM uptime; this maps them onto System.nanoTime.
    this.jvmStartNanos = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      // ZGC reports its concurrent cycles on beans of their own ("... Cycles"), G1 its concurrent phases on
      // "G1 Concurrent GC" (whose notifications are its remark and cleanup pauses); only pauses stop the server.
      if (gc instanceof NotificationEmitter emitter && !gc.getName().endsWith("Cycles")) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  private void onGc(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    double at = msSinceStart(jvmStartNanos + info.getGcInfo().getStartTime() * 1_000_000L);
    pauses.add(new Event(info.getGcName() + " (" + info.getGcCause() + ")", at, info.getGcInfo().getDuration()));
  }

  /** The wall-clock time of the run's start, to match its events with outside logs. */
  Instant startedAt() {
    return startedAt;
  }

  /** Milliseconds from the run's start to {@code nanos} ({@link System#nanoTime}). */
  double msSinceStart(long nanos) {
    return (nanos - startNanos) / 1e6;
  }

  /** Records one storage commit that started at {@code startNanos} and took {@code nanos}. */
  void commit(long startNanos, long nanos, int operations) {
    double ms = nanos / 1e6;
    if (ms >= SLOW_COMMIT_MS) {
      commits.add(new Event("storage commit of " + operations + " writes", msSinceStart(startNanos), ms));
    }
  }

  /** GC pauses so far, in time order. */
  List<Event> pauses() {
    return sorted(pauses);
  }

  /** Commits of at least {@link #SLOW_COMMIT_MS} so far, in time order. */
  List<Event> slowCommits() {
    return sorted(commits);
  }

  /** Pauses and slow commits of at least {@code minMs} that overlap {@code [fromMs, toMs]}, longest first. */
  List<Event> overlapping(double fromMs, double toMs, double minMs) {
    List<Event> out = new ArrayList<>(overlapping(pauses, fromMs, toMs, minMs));
    out.addAll(overlapping(commits, fromMs, toMs, minMs));
    out.sort(Comparator.comparingDouble(Event::durationMs).reversed());
    return out;
  }

  /** The events of {@code events} of at least {@code minMs} that overlap {@code [fromMs, toMs]}, in time order. */
  static List<Event> overlapping(Collection<Event> events, double fromMs, double toMs, double minMs) {
    return events.stream()
        .filter(e -> e.durationMs() >= minMs && e.atMs() <= toMs && e.endMs() >= fromMs)
        .sorted(Comparator.comparingDouble(Event::atMs))
        .toList();
  }

  private static List<Event> sorted(ConcurrentLinkedQueue<Event> events) {
    List<Event> out = new ArrayList<>(events);
    out.sort(Comparator.comparingDouble(Event::atMs));
    return out;
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // Already gone: nothing left to remove.
      }
    }
  }
}
