package network.subnet.miner.behavior;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.Teacher;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.model.TinyCheckpoint;
import picocli.CommandLine.Option;

/** {@code subnet miner} options that pick an adversarial behaviour, for testing a validator's defences. */
public final class BehaviorOptions {

  /** The seed of the cheaper model a lazy miner writes when given no {@code --lazy-model}. */
  public static final long LAZY_MODEL_SEED = 8;

  @Option(names = "--behavior", paramLabel = "NAME", defaultValue = "honest",
      description = "honest, or an adversary for testing: random, lazy, replay, copycat, collude "
          + "(default: ${DEFAULT-VALUE}).")
  String behavior = "honest";

  @Option(names = "--lazy-model", paramLabel = "DIR",
      description = "The cheaper checkpoint a lazy miner answers with (default: a tiny generated one).")
  Path lazyModel;

  @Option(names = "--collude-seed", defaultValue = "1",
      description = "Colluding miners with the same seed send the same wrong answers (default: ${DEFAULT-VALUE}).")
  long colludeSeed = 1;

  public Behavior behavior() {
    return Behavior.parse(behavior);
  }

  /** Wraps the honest teacher for the chosen behaviour. A copycat alone in its process never finds anything to copy. */
  public Teacher wrap(MistralTeacher honest, TeacherOptions options) {
    Behaviors.Setting setting = new Behaviors.Setting(null, honest.config().vocabSize(), colludeSeed,
        () -> loadCheap(options), Behaviors.DEFAULT_COPY_WAIT);
    return Behaviors.wrap(behavior(), honest, setting);
  }

  private Teacher loadCheap(TeacherOptions options) {
    try {
      Path dir = lazyModel;
      if (dir == null) {
        dir = Files.createTempDirectory("subnet-lazy-model");
        TinyCheckpoint.write(dir, LAZY_MODEL_SEED);
      }
      return MistralTeacher.load(dir, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the lazy miner's cheaper model: " + e.getMessage(), e);
    }
  }
}
