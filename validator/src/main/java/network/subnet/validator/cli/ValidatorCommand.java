package network.subnet.validator.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.text.HfTextTokenizer;
import network.subnet.validator.ValidatorAssembly;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorServer;
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
    LocalSigner signer = KeyFile.loadOrCreate(key != null ? key : SubnetHome.fromEnvironment().keyFile());
    MistralCheckpoint checkpoint = MistralCheckpoint.open(model);
    ValidatorConfig flags = options.toConfig();
    String modelHash = flags.modelHash().isBlank() ? checkpoint.modelHash() : flags.modelHash();
    try (HfTextTokenizer tokenizer = HfTextTokenizer.load(checkpoint.tokenizerJson());
        RocksDbStorage storage = RocksDbStorage.open(flags.dataDir())) {
      spec.commandLine().getErr().printf("validator: ledger %s, previous shutdown %s%n", storage.directory(),
          storage.previousShutdown().name().toLowerCase(java.util.Locale.ROOT));
      ValidatorConfig config = flags.withTeacher(modelHash, flags.topK(), flags.maxTokens()).withBosId(tokenizer.bosId());
      ValidatorAssembly assembly = ValidatorAssembly.assemble(config, storage, tokenizer, signer);
      int added = assembly.loadTasks();
      spec.commandLine().getErr().printf(
          "validator: %d new tasks from %d text and %d activation inputs; %d tasks in the ledger%n", added,
          config.inputs().size(), config.activations().size(), assembly.node().ledger().tasksTotal());
      ValidatorServer server = new ValidatorServer(assembly.node(), host, config.port(), Clock.systemUTC());
      CountDownLatch stopped = new CountDownLatch(1);
      // The JVM does not wait for main after the hooks: the hook itself stops serving and closes the ledger.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.stop();
        storage.close();
        stopped.countDown();
      }, "validator-shutdown"));
      server.start();
      spec.commandLine().getErr().printf("validator %s: serving on %s:%d (model %s)%n", signer.publicKey().hex(), host,
          server.port(), modelHash.substring(0, 12));
      stopped.await();
    }
    return 0;
  }
}
