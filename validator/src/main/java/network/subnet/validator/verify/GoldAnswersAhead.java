package network.subnet.validator.verify;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.tasks.Task;

/**
 * A reference teacher that starts computing a gold task's answer when the task is leased, on one background thread,
 * so the answer is usually ready when the miner's result arrives. Computed on the submit call instead, a gold result
 * would be answered noticeably later than an ordinary one (seconds, for a 7B teacher on CPU), which tells a miner
 * afterwards which of its tasks were gold.
 *
 * <p>At most {@link #MAX_AHEAD} answers are held; past that a task is answered when asked, as without this class. An
 * answer is handed out once and then dropped, so memory holds only answers of leased, not yet judged gold tasks. The
 * wrapped teacher stays its owner's to close.
 */
public final class GoldAnswersAhead implements ReferenceTeacher {

  static final int MAX_AHEAD = 1024;

  private final ReferenceTeacher teacher;
  private final Map<String, CompletableFuture<SoftLabels>> ahead = new ConcurrentHashMap<>();
  /** One thread, started on demand and let go when idle: it competes with nothing the validator must answer fast. */
  private final ThreadPoolExecutor worker =
      new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "gold-answers");
        t.setDaemon(true);
        return t;
      });

  public GoldAnswersAhead(ReferenceTeacher teacher) {
    this.teacher = teacher;
    worker.allowCoreThreadTimeOut(true);
  }

  /** Starts computing {@code task}'s answer unless it is already under way or too many answers are held. */
  public void prepare(Task task) {
    if (ahead.size() >= MAX_AHEAD) {
      return;
    }
    ahead.computeIfAbsent(task.id(), id -> CompletableFuture.supplyAsync(() -> teacher.label(task), worker));
  }

  /** The answer computed ahead when there is one (waiting for it if still running), else computed now. */
  @Override
  public SoftLabels label(Task task) {
    CompletableFuture<SoftLabels> prepared = ahead.remove(task.id());
    if (prepared != null) {
      try {
        return prepared.join();
      } catch (CompletionException | CancellationException e) {
        // Computing it ahead failed; computing it now reports the failure to the caller as it would have anyway.
      }
    }
    return teacher.label(task);
  }

  /** Answers computed ahead and not yet handed out. */
  int held() {
    return ahead.size();
  }

  /** Stops the background thread; the wrapped teacher is left open. */
  @Override
  public void close() {
    worker.shutdownNow();
    ahead.values().forEach(f -> f.cancel(false));
    ahead.clear();
  }
}
