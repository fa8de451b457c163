package network.subnet.miner.behavior;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import network.subnet.node.labels.SoftLabels;

/**
 * Answers miners have computed, by task input, shared among the miners of one process. It models what a copycat
 * could observe in a real network (a leaked result, a shared cache, a colluding peer): the copycat looks up the
 * answer to the task it holds and waits a little for another miner to post it.
 */
public final class Bulletin {

  private record Key(int[] tokens, int topK, float temperature) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.topK == topK && Float.compare(k.temperature, temperature) == 0
          && Arrays.equals(k.tokens, tokens);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(tokens) + topK;
    }
  }

  private final Map<Key, SoftLabels> posted = new ConcurrentHashMap<>();

  public void post(int[] tokens, int topK, float temperature, SoftLabels labels) {
    synchronized (this) {
      posted.putIfAbsent(new Key(tokens.clone(), topK, temperature), labels);
      notifyAll();
    }
  }

  /** The answer someone posted for this input, waiting up to {@code wait} for one to appear. */
  public Optional<SoftLabels> await(int[] tokens, int topK, float temperature, Duration wait)
      throws InterruptedException {
    Key key = new Key(tokens, topK, temperature);
    long until = System.nanoTime() + wait.toNanos();
    synchronized (this) {
      SoftLabels found;
      while ((found = posted.get(key)) == null) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return Optional.of(found);
    }
  }

  public int size() {
    return posted.size();
  }
}
