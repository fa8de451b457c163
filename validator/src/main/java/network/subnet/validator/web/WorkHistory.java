package network.subnet.validator.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.ledger.ResultRecord;

/**
 * Each miner's verified (credited) and failed (rejected) results, counted cumulatively at the end of equal time bins
 * between the first result and {@code nowMs}. Pending and undecided results count as neither.
 *
 * @param binEndsMs the end of each bin, ascending
 * @param series one per miner that has a verified or failed result, in key order
 */
public record WorkHistory(long[] binEndsMs, List<Series> series) {

  /** One miner's cumulative counts, aligned with {@link #binEndsMs}. */
  public record Series(PublicKey miner, long[] verified, long[] failed) {
    public long totalVerified() {
      return verified.length == 0 ? 0 : verified[verified.length - 1];
    }

    public long totalFailed() {
      return failed.length == 0 ? 0 : failed[failed.length - 1];
    }
  }

  public WorkHistory {
    series = List.copyOf(series);
  }

  public boolean isEmpty() {
    return series.isEmpty();
  }

  /** Collects results one at a time, then bins them. */
  public static final class Builder {
    private record Point(long atMs, boolean verified) {}

    private final Map<PublicKey, List<Point>> points = new HashMap<>();
    private long firstMs = Long.MAX_VALUE;
    private long lastMs = Long.MIN_VALUE;

    public void add(ResultRecord r) {
      boolean verified = r.status() == ResultRecord.Status.AGREED;
      if (!verified && r.status() != ResultRecord.Status.REJECTED) {
        return;
      }
      points.computeIfAbsent(r.miner(), k -> new ArrayList<>()).add(new Point(r.acceptedAtMs(), verified));
      firstMs = Math.min(firstMs, r.acceptedAtMs());
      lastMs = Math.max(lastMs, r.acceptedAtMs());
    }

    public WorkHistory build(int bins, long nowMs) {
      if (bins < 1) {
        throw new IllegalArgumentException("a work history needs at least one bin, got " + bins);
      }
      if (points.isEmpty()) {
        return new WorkHistory(new long[0], List.of());
      }
      long end = Math.max(Math.max(nowMs, lastMs), firstMs + bins);
      double width = (double) (end - firstMs) / bins;
      long[] ends = new long[bins];
      for (int i = 0; i < bins; i++) {
        ends[i] = i == bins - 1 ? end : firstMs + Math.round(width * (i + 1));
      }
      List<Series> out = new ArrayList<>();
      for (Map.Entry<PublicKey, List<Point>> e : new TreeMap<>(points).entrySet()) {
        long[] verified = new long[bins];
        long[] failed = new long[bins];
        for (Point p : e.getValue()) {
          int bin = (int) Math.min(bins - 1, Math.max(0, (long) Math.ceil((p.atMs() - firstMs) / width) - 1));
          (p.verified() ? verified : failed)[bin]++;
        }
        for (int i = 1; i < bins; i++) {
          verified[i] += verified[i - 1];
          failed[i] += failed[i - 1];
        }
        out.add(new Series(e.getKey(), verified, failed));
      }
      return new WorkHistory(ends, out);
    }
  }
}
