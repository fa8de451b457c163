package network.subnet.miner.behavior;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import network.subnet.miner.teacher.Teacher;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.labels.SoftLabels;

/** Wraps an honest teacher in the decorator a {@link Behavior} calls for. */
public final class Behaviors {

  public static final Duration DEFAULT_COPY_WAIT = Duration.ofSeconds(2);

  /**
   * What the adversaries need besides the honest teacher.
   *
   * @param bulletin where honest answers are posted and copycats look (null: none; a copycat then always makes up)
   * @param vocab the teacher's vocabulary size, for made-up token ids
   * @param seed random answers' seed; colluding keys share it, and so their wrong answers
   * @param cheapModel loads the cheaper model a lazy miner runs (called only for {@link Behavior#LAZY})
   * @param copyWait how long a copycat waits for someone to post the task it holds
   */
  public record Setting(Bulletin bulletin, int vocab, long seed, Supplier<Teacher> cheapModel, Duration copyWait) {}

  private Behaviors() {}

  /** The teacher a miner of {@code behavior} runs; closing it closes {@code honest} too. */
  public static Teacher wrap(Behavior behavior, Teacher honest, Setting setting) {
    TeacherSpec spec = honest.spec();
    return switch (behavior) {
      case HONEST -> setting.bulletin() == null ? honest : new PostingTeacher(honest, setting.bulletin());
      case RANDOM -> alongside(RandomTeacher.random(spec, setting.vocab(), setting.seed()), honest);
      case COLLUDE -> alongside(RandomTeacher.colluding(spec, setting.vocab(), setting.seed()), honest);
      case LAZY -> alongside(new LazyTeacher(spec, setting.cheapModel().get()), honest);
      case REPLAY -> new ReplayTeacher(honest);
      case COPYCAT -> {
        Bulletin bulletin = setting.bulletin() == null ? new Bulletin() : setting.bulletin();
        yield alongside(new CopycatTeacher(spec, bulletin, setting.copyWait(),
            RandomTeacher.random(spec, setting.vocab(), setting.seed())), honest);
      }
    };
  }

  /** {@code acting} answers; {@code honest} is only held so that it is closed with it. */
  private static Teacher alongside(Teacher acting, Teacher honest) {
    return new Teacher() {
      @Override
      public TeacherSpec spec() {
        return acting.spec();
      }

      @Override
      public List<SoftLabels> label(List<int[]> sequences, int topK, float temperature) {
        return acting.label(sequences, topK, temperature);
      }

      @Override
      public void close() {
        try {
          acting.close();
        } finally {
          honest.close();
        }
      }
    };
  }
}
