package network.subnet.validator.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import network.subnet.node.labels.SoftLabels;

/**
 * The decoded soft labels of results checked for tasks not settled yet, by the exact payload they were decoded from.
 * Honest replicas are often byte-identical (fp32 teachers match exactly), so a replica whose payload is one already
 * checked for the same task needs no decoding of its own, nor does the task's verdict: decoding, not comparing, is
 * what checking a result costs. Labels are only ever handed out for a byte-identical payload of the same task, which
 * passes every check its twin passed, so nothing here can change an answer; a miss costs the decode it always did.
 *
 * <p>Bounded by the (position, rank) entries it holds, oldest tasks dropped first, and forgotten per task once it is
 * settled. Nothing is stored: after a restart the first replicas simply decode again.
 */
public final class CheckedLabels {

  /** About 32 MB of decoded labels: every task of a busy small-result intake, or a few dozen full-length ones. */
  public static final long DEFAULT_MAX_ENTRIES = 4L << 20;

  private record Entry(PackedSoftLabels packed, SoftLabels labels) {}

  private final long maxEntries;
  private final LinkedHashMap<String, List<Entry>> byTask = new LinkedHashMap<>();
  private long entries;

  public CheckedLabels(long maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maximum entries must be >= 0, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** Remembers {@code labels}, checked for task {@code taskId}, as the decoding of {@code packed}. */
  public synchronized void put(String taskId, PackedSoftLabels packed, SoftLabels labels) {
    long size = size(labels);
    if (size > maxEntries) {
      return;
    }
    List<Entry> known = byTask.computeIfAbsent(taskId, id -> new ArrayList<>(2));
    if (find(known, packed) != null) {
      return;
    }
    known.add(new Entry(packed, labels));
    entries += size;
    Iterator<Map.Entry<String, List<Entry>>> oldest = byTask.entrySet().iterator();
    while (entries > maxEntries && oldest.hasNext()) {
      Map.Entry<String, List<Entry>> e = oldest.next();
      if (e.getKey().equals(taskId)) {
        continue;
      }
      e.getValue().forEach(x -> entries -= size(x.labels()));
      oldest.remove();
    }
  }

  /** The labels checked for task {@code taskId} from a payload byte-identical to {@code packed}, or null. */
  public synchronized SoftLabels match(String taskId, PackedSoftLabels packed) {
    if (packed == null || packed.packed() == null) {
      return null;
    }
    List<Entry> known = byTask.get(taskId);
    return known == null ? null : find(known, packed);
  }

  /** Drops what is held for a settled task. */
  public synchronized void forget(String taskId) {
    List<Entry> known = byTask.remove(taskId);
    if (known != null) {
      known.forEach(x -> entries -= size(x.labels()));
    }
  }

  /** Entries ((position, rank) pairs) held now. */
  public synchronized long entries() {
    return entries;
  }

  /** What {@code labels} count against the bound: its (position, rank) entries. */
  private static long size(SoftLabels labels) {
    return (long) labels.positions() * labels.topK();
  }

  private static SoftLabels find(List<Entry> known, PackedSoftLabels p) {
    for (Entry e : known) {
      PackedSoftLabels q = e.packed();
      if (q.positions() == p.positions() && q.topK() == p.topK() && q.format() == p.format()
          && Arrays.equals(q.packed(), p.packed())) {
        return e.labels();
      }
    }
    return null;
  }
}
