package network.subnet.miner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import network.subnet.miner.behavior.BehaviorOptions;
import network.subnet.miner.daemon.MinerConfig;
import network.subnet.miner.daemon.MinerDaemon;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.Teacher;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.cli.KeyAccessOptions;
import network.subnet.node.cli.ValidatorTrustOptions;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.node.metrics.MetricsOptions;
import network.subnet.node.metrics.MetricsServer;
import network.subnet.node.metrics.PrometheusMetrics;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code subnet miner}: runs the miner daemon until SIGTERM/Ctrl-C, then drains the work in hand. */
@Command(
    name = "miner",
    mixinStandardHelpOptions = true,
    description = "Run a miner: lease tasks from the validator, label them with the teacher, sign and submit.",
    footer = {
      "",
      "The miner always dials out (works behind NAT), backs off while the validator is away, and on SIGTERM or",
      "Ctrl-C stops leasing and submits the work in hand before it exits."
    })
public final class MinerCommand implements Callable<Integer> {

  @Option(
      names = "--validator",
      paramLabel = "HOST:PORT",
      description = "Validator to dial (default: ${DEFAULT-VALUE}).")
  String validator = MinerConfig.DEFAULT_VALIDATOR_ADDRESS;

  @Mixin ValidatorTrustOptions trust;

  @Mixin KeyAccessOptions keyAccess;

  @Option(names = "--key", paramLabel = "FILE", description = "Ed25519 key file; created if absent (default: $SUBNET_HOME/key).")
  Path key;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Teacher checkpoint in the Hugging Face layout (config.json, *.safetensors, tokenizer.json).")
  Path model;

  @Option(names = "--device", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device = MinerConfig.DEFAULT_DEVICE;

  @Option(names = "--threads", description = "PyTorch intra-op threads; 0 = PyTorch's default (default: ${DEFAULT-VALUE}).")
  int threads = 0;

  @Option(names = "--max-batch", description = "Tasks leased and labelled together (default: ${DEFAULT-VALUE}).")
  int maxBatch = MinerConfig.DEFAULT_MAX_BATCH;

  @Option(names = "--lease-wait-ms", description = "Long-poll wait for work, in ms (default: ${DEFAULT-VALUE}).")
  long leaseWaitMs = MinerConfig.DEFAULT_LEASE_WAIT.toMillis();

  @Mixin MetricsOptions metricsOptions;

  @Mixin BehaviorOptions behaviorOptions = new BehaviorOptions();

  @Override
  public Integer call() throws Exception {
    behaviorOptions.behavior(); // refuses an unknown name before any model is loaded
    ChannelSecurity security = trust.security();
    Path keyFile = key != null ? key : SubnetHome.fromEnvironment().keyFile();
    LocalSigner signer = KeyFile.loadOrCreate(keyFile, keyAccess.access());
    MinerConfig config =
        new MinerConfig(
            validator,
            keyFile,
            model,
            device,
            maxBatch,
            Duration.ofMillis(leaseWaitMs),
            MinerConfig.DEFAULT_DRAIN_TIMEOUT,
            MinerConfig.DEFAULT_PROGRESS_INTERVAL);
    System.err.printf("miner %s: loading teacher from %s%n", signer.publicKey().hex(), model);
    TeacherOptions teacherOptions = new TeacherOptions(device, threads, TeacherOptions.DEFAULT_MAX_BATCH_TOKENS);
    try (Teacher teacher = behaviorOptions.wrap(MistralTeacher.load(model, teacherOptions), teacherOptions);
        GrpcValidatorApi api = GrpcValidatorApi.connect(validator, signer, ClientOptions.defaults(), security)) {
      PrometheusMetrics metrics = new PrometheusMetrics("miner");
      Optional<MetricsServer> metricsServer = metricsOptions.server(metrics);
      MinerDaemon daemon = new MinerDaemon(api, teacher, signer, config, metrics);
      Thread shutdown = new Thread(() -> {
        daemon.stop();
        metricsServer.ifPresent(MetricsServer::stop);
      }, "miner-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdown);
      if (metricsServer.isPresent()) {
        metricsServer.get().start();
        System.err.printf("miner: metrics on http://%s:%d/metrics%n", metricsOptions.host(),
            metricsServer.get().port());
      }
      daemon.start();
      System.err.printf("miner %s: working for validator %s (%s)%s%n", signer.publicKey().hex(), validator,
          security.describe(),
          behaviorOptions.behavior().adversarial() ? " as a " + behaviorOptions.behavior().cliName() + " adversary" : "");
      daemon.awaitStopped();
    }
    return 0;
  }
}
