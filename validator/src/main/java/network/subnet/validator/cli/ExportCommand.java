package network.subnet.validator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.storage.StorageException;
import network.subnet.validator.dataset.DatasetExporter;
import network.subnet.validator.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code subnet export}: a closed epoch's verified teacher outputs as a Parquet dataset, read from the ledger. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export the verified teacher outputs of a closed epoch as a Parquet dataset with a signed manifest.",
    footer = {
      "",
      "Reads the ledger directly (read-only, so a running validator may keep it open) and",
      "writes DIR/epoch-N.parquet (document id, window, token ids, top-k ids and log-probs,",
      "model hash) and DIR/epoch-N.manifest.json (row count, the epoch's Merkle root,",
      "signature and validator key)."
    })
public final class ExportCommand implements Callable<Integer> {

  @Option(names = "--epoch", paramLabel = "N", defaultValue = "-1",
      description = "Closed epoch to export (default: the latest closed epoch).")
  long epoch;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the dataset into.")
  Path out;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Ledger directory (default: $SUBNET_HOME/ledger).")
  Path dataDir;

  @Option(names = "--force", description = "Replace an earlier export of the same epoch.")
  boolean force;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Path ledgerDir = dataDir != null ? dataDir : SubnetHome.fromEnvironment().ledgerDir();
    try (RocksDbStorage storage = RocksDbStorage.openReadOnly(ledgerDir)) {
      Ledger ledger = new Ledger(storage, System.currentTimeMillis());
      long number = epoch >= 0 ? epoch : ledger.latestClosedEpoch()
          .orElseThrow(() -> new IllegalArgumentException("no epoch has been closed yet in " + ledgerDir)).epoch();
      DatasetExporter.Summary s = new DatasetExporter(ledger).export(number, out, force);
      PrintWriter stdout = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", s.epoch());
        m.put("rows", s.rows());
        m.put("skipped", s.skipped());
        m.put("data", s.data().toString());
        m.put("manifest", s.manifest().toString());
        stdout.println(Output.json(m));
      } else {
        stdout.printf("epoch %d: %d rows -> %s (manifest %s)%n", s.epoch(), s.rows(), s.data(), s.manifest());
      }
      stdout.flush();
      return 0;
    } catch (IllegalArgumentException | IllegalStateException | StorageException e) {
      err.println("export: " + e.getMessage());
      return 1;
    }
  }
}
