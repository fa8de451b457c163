package network.subnet.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import network.subnet.cli.devnet.Devnet;
import network.subnet.cli.devnet.SampleCorpus;
import network.subnet.miner.daemon.MinerConfig;
import network.subnet.miner.daemon.MinerDaemon;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.Teacher;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.api.ValidatorApi;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.validator.tasks.Task;

/**
 * What the end-to-end tests with real miners set up alike: distill tasks for the tiny model from the sample corpus,
 * real miner daemons over loopback gRPC, and everything they open, closed in reverse order once the test is done.
 */
final class E2eFixture implements AutoCloseable {

  private final Path dir;
  private final List<MinerDaemon> daemons = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  E2eFixture(Path dir) {
    this.dir = dir;
  }

  /** The first {@code limit} distinct tasks (64 tokens, top-16) of a 40-text sample corpus made with {@code seed}. */
  List<Task> distillTasks(MistralCheckpoint checkpoint, String modelHash, long seed, int limit) throws Exception {
    Path corpus = SampleCorpus.writeIfAbsent(dir.resolve("corpus.jsonl"), 40, seed);
    return Devnet.distillTasks(checkpoint, modelHash, corpus, 64, 16, 1.0f, limit);
  }

  /** Starts a miner with a fresh key and a one-thread CPU teacher on {@code model}, working for {@code target}. */
  void startMiner(String target, Path model) throws Exception {
    startMiner(target, model, LocalSigner.generate(), api -> api, MinerDaemon.DEFAULT_MAX_BACKOFF);
  }

  /**
   * As {@link #startMiner(String, Path)}, with {@code signer}'s key, talking through {@code wrap} of its client, and
   * reconnect pauses capped at {@code maxBackoff}.
   */
  MinerDaemon startMiner(
      String target, Path model, LocalSigner signer, UnaryOperator<ValidatorApi> wrap, Duration maxBackoff)
      throws Exception {
    Teacher teacher = MistralTeacher.load(model, new TeacherOptions(TeacherOptions.CPU, 1, 4096));
    ValidatorApi api = wrap.apply(GrpcValidatorApi.connect(target, signer, ClientOptions.defaults()));
    closeables.add(teacher);
    closeables.add(api);
    MinerConfig config = new MinerConfig(target, dir.resolve("unused.key"), model, "cpu", 2, Duration.ofMillis(500),
        Duration.ofSeconds(20), Duration.ofSeconds(30));
    MinerDaemon daemon = new MinerDaemon(api, teacher, signer, config, maxBackoff);
    daemons.add(daemon);
    daemon.start();
    return daemon;
  }

  /** Closes {@code c} when the fixture closes, before everything registered earlier. */
  void closeLater(AutoCloseable c) {
    closeables.add(c);
  }

  /** Stops every miner started so far, draining the work in hand. */
  void stopMiners() {
    daemons.forEach(MinerDaemon::stop);
  }

  @Override
  public void close() throws Exception {
    stopMiners();
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }
}
