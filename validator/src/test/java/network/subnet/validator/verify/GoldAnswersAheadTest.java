package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class GoldAnswersAheadTest {

  /** Answers with the task's first token as the only id; counts calls and the threads they ran on. */
  private static final class CountingTeacher implements ReferenceTeacher {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    volatile String lastThread;
    volatile boolean failNext;

    @Override
    public SoftLabels label(Task task) {
      calls.incrementAndGet();
      lastThread = Thread.currentThread().getName();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("teacher failed");
      }
      int positions = task.spec().tokens().length;
      int[][] ids = new int[positions][];
      float[][] lps = new float[positions][];
      for (int p = 0; p < positions; p++) {
        ids[p] = new int[] {task.spec().tokens()[0]};
        lps[p] = new float[] {-0.5f};
      }
      return new SoftLabels(ids, lps);
    }
  }

  @Test
  void anAnswerPreparedAtLeaseTimeIsComputedOnceInTheBackgroundAndHandedOutOnce() throws Exception {
    CountingTeacher teacher = new CountingTeacher();
    try (GoldAnswersAhead ahead = new GoldAnswersAhead(teacher)) {
      Task task = Fixtures.task(1);
      ahead.prepare(task);
      ahead.prepare(task); // leased again: still one computation
      teacher.release.countDown();
      SoftLabels answer = ahead.label(task);
      assertThat(answer.tokenIds()[0][0]).isEqualTo(task.spec().tokens()[0]);
      assertThat(teacher.calls.get()).isEqualTo(1);
      assertThat(teacher.lastThread).isEqualTo("gold-answers");
      assertThat(ahead.held()).isZero();

      // Asked again (a re-check), it is computed on the caller's thread.
      ahead.label(task);
      assertThat(teacher.calls.get()).isEqualTo(2);
      assertThat(teacher.lastThread).isNotEqualTo("gold-answers");
    }
  }

  @Test
  void aFailureAheadIsRetriedWhenAskedAndAFailureThenReachesTheCaller() {
    CountingTeacher teacher = new CountingTeacher();
    teacher.release.countDown();
    try (GoldAnswersAhead ahead = new GoldAnswersAhead(teacher)) {
      Task task = Fixtures.task(2);
      teacher.failNext = true;
      ahead.prepare(task);
      assertThat(ahead.label(task).positions()).isEqualTo(task.spec().tokens().length);
      assertThat(teacher.calls.get()).isEqualTo(2);

      teacher.failNext = true;
      assertThatThrownBy(() -> ahead.label(Fixtures.task(3))).hasMessageContaining("teacher failed");
    }
  }

  @Test
  void holdsAtMostABoundedNumberOfAnswers() {
    CountingTeacher teacher = new CountingTeacher(); // never released: every answer stays under way
    GoldAnswersAhead ahead = new GoldAnswersAhead(teacher);
    try {
      for (int i = 0; i < GoldAnswersAhead.MAX_AHEAD + 50; i++) {
        ahead.prepare(Fixtures.task(100 + i));
      }
      assertThat(ahead.held()).isEqualTo(GoldAnswersAhead.MAX_AHEAD);
    } finally {
      ahead.close();
      teacher.release.countDown();
    }
    assertThat(ahead.held()).isZero();
  }
}
