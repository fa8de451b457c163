package network.subnet.validator.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import network.subnet.node.cli.KeyAccessOptions;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.metrics.MetricsOptions;
import network.subnet.node.metrics.MetricsServer;
import network.subnet.node.metrics.PrometheusMetrics;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.text.HfTextTokenizer;
import network.subnet.validator.ValidatorAssembly;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.TrustConfig;
import network.subnet.validator.ValidatorMetrics;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.security.BanList;
import network.subnet.validator.security.ServerPolicy;
import network.subnet.validator.verify.ReferenceTeacher;
import network.subnet.validator.web.WebOptions;
import network.subnet.validator.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code subnet validator}: serves miners and queries until SIGTERM/Ctrl-C, then closes the ledger cleanly. */
@Command(
    name = "validator",
    mixinStandardHelpOptions = true,
    description = "Run the validator: cut tasks from text files, lease them to miners, verify, credit, publish shares.",
    footer = {
      "",
      "Tasks are cut with the teacher's tokenizer (--model DIR/tokenizer.json) and bound",
      "to its model hash, so only miners running the same checkpoint get them. The ledger",
      "(RocksDB under --data-dir) survives restarts: tasks already read are not added",
      "twice, and accepted results count when the remaining replicas arrive."
    })
public final class ValidatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ValidatorOptions options;

  @Mixin DatasetOptions dataset;

  @Mixin WebOptions web;

  @Mixin CompetitionOptions competitions;

  @Mixin ServerSecurityOptions security;

  @Mixin KeyAccessOptions keyAccess;

  @Mixin MetricsOptions metricsOptions;

  @Mixin TrustOptions trustOptions = new TrustOptions();

  private final ReferenceTeacher.Loader referenceLoader;

  /** A validator command without a reference teacher: no gold tasks, tie-breaks by more replicas. */
  public ValidatorCommand() {
    this(null);
  }

  /** A validator command whose reference teacher (gold tasks, tie-breaks) {@code referenceLoader} opens. */
  public ValidatorCommand(ReferenceTeacher.Loader referenceLoader) {
    this.referenceLoader = referenceLoader;
  }

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Teacher checkpoint (Hugging Face layout) whose tokenizer and model hash tasks are bound to.")
  Path model;

  @Option(names = "--key", paramLabel = "FILE",
      description = "The validator's Ed25519 key file, created if absent (default: $SUBNET_HOME/key).")
  Path key;

  @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host = "0.0.0.0";

  @Override
  public Integer call() throws Exception {
    LocalSigner signer = KeyFile.loadOrCreate(key != null ? key : SubnetHome.fromEnvironment().keyFile(), keyAccess.access());
    ServerPolicy policy = security.toPolicy();
    MistralCheckpoint checkpoint = MistralCheckpoint.open(model);
    ValidatorConfig flags = options.toConfig();
    String modelHash = flags.modelHash().isBlank() ? checkpoint.modelHash() : flags.modelHash();
    try (HfTextTokenizer tokenizer = HfTextTokenizer.load(checkpoint.tokenizerJson());
        RocksDbStorage storage = RocksDbStorage.open(flags.dataDir())) {
      spec.commandLine().getErr().printf("validator: ledger %s, previous shutdown %s%n", storage.directory(),
          storage.previousShutdown().name().toLowerCase(java.util.Locale.ROOT));
      ValidatorConfig config = flags.withTeacher(modelHash, flags.topK(), flags.maxTokens()).withBosId(tokenizer.bosId());
      PrometheusMetrics metrics = new PrometheusMetrics("validator").watchStorage(storage);
      TrustConfig trust = trustOptions.toConfig();
      ReferenceTeacher reference = referenceLoader == null ? null : referenceLoader.load(model);
      if (reference == null) {
        spec.commandLine().getErr().println("validator: no reference teacher; gold tasks and reference tie-breaks are off");
      }
      ValidatorAssembly assembly =
          ValidatorAssembly.assemble(config, trust, reference, storage, tokenizer, signer, metrics);
      ValidatorMetrics.watchLedger(metrics, assembly.node());
      Optional<MetricsServer> metricsServer = metricsOptions.server(metrics);
      int added = assembly.loadTasks(dataset.sampling());
      spec.commandLine().getErr().printf(
          "validator: %d new tasks from %d text and %d activation inputs; %d tasks in the ledger%n", added,
          config.inputs().size(), config.activations().size(), assembly.node().ledger().tasksTotal());
      ValidatorServer server = new ValidatorServer(assembly.node(), host, config.port(), Clock.systemUTC(), policy,
          new BanList(storage), competitions.services(storage, spec));
      CountDownLatch stopped = new CountDownLatch(1);
      Optional<WebServer> page = web.start(assembly.node(), host);
      // The JVM does not wait for main after the hooks: the hook itself stops serving and closes the ledger.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        page.ifPresent(WebServer::stop);
        server.stop();
        metricsServer.ifPresent(MetricsServer::stop);
        storage.close();
        stopped.countDown();
      }, "validator-shutdown"));
      server.start();
      if (metricsServer.isPresent()) {
        metricsServer.get().start();
        spec.commandLine().getErr().printf("validator: metrics on http://%s:%d/metrics%n", metricsOptions.host(),
            metricsServer.get().port());
      }
      spec.commandLine().getErr().printf("validator %s: serving on %s:%d (model %s)%n", signer.publicKey().hex(), host,
          server.port(), modelHash.substring(0, Math.min(12, modelHash.length())));
      page.ifPresent(p -> spec.commandLine().getErr().printf("validator: web page at %s%n", p.url()));
      spec.commandLine().getErr().println(ServerSecurityOptions.banner(policy.security()));
      stopped.await();
    }
    return 0;
  }
}
