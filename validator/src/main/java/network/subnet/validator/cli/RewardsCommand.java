package network.subnet.validator.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.query.QueryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code subnet rewards}: an epoch's signed reward shares, with the signature and Merkle root checked locally. */
@Command(
    name = "rewards",
    mixinStandardHelpOptions = true,
    description = "Show the reward shares of a closed epoch (default: the latest) as the validator signed them.")
public final class RewardsCommand implements Callable<Integer> {

  @Mixin QueryOptions query;

  @Option(
      names = "--epoch",
      paramLabel = "N",
      defaultValue = "-1",
      description = "Epoch number (default: the latest closed epoch).")
  long epoch;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (QueryClient client = QueryClient.connect(query.validator, query.security())) {
      EpochRecord record = client.rewards(epoch);
      boolean valid = record.verify();
      if (query.json) {
        out.println(Output.json(toJson(record, valid)));
      } else {
        printTable(out, record, valid);
      }
      out.flush();
      return 0;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println(Output.error(e, query.validator));
      return 1;
    }
  }

  private static Map<String, Object> toJson(EpochRecord r, boolean valid) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("epoch", r.epoch());
    json.put("startMs", r.startMs());
    json.put("endMs", r.endMs());
    json.put("validatorKey", r.validator().hex());
    json.put("merkleRoot", HexFormat.of().formatHex(r.merkleRoot()));
    json.put("signature", HexFormat.of().formatHex(r.signature()));
    json.put("signatureValid", valid);
    json.put("totalCredits", r.totalCredits());
    List<Map<String, Object>> shares = new ArrayList<>();
    for (MerkleTree.Entry e : sortedByCredits(r)) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("miner", e.miner().hex());
      s.put("credits", e.credits());
      s.put("share", r.share(e));
      shares.add(s);
    }
    json.put("shares", shares);
    return json;
  }

  private static void printTable(PrintWriter out, EpochRecord r, boolean valid) {
    out.printf("epoch %d  %s .. %s%n", r.epoch(), Output.time(r.startMs()), Output.time(r.endMs()));
    out.printf("validator %s%n", r.validator().hex());
    out.printf("merkle root %s  signature %s%n", HexFormat.of().formatHex(r.merkleRoot()), valid ? "valid" : "INVALID");
    out.printf("%-64s  %12s  %9s%n", "MINER", "CREDITS", "SHARE");
    for (MerkleTree.Entry e : sortedByCredits(r)) {
      out.printf("%-64s  %12d  %8.4f%%%n", e.miner().hex(), e.credits(), 100 * r.share(e));
    }
    out.printf("%d miners, %d credits%n", r.entries().size(), r.totalCredits());
  }

  private static List<MerkleTree.Entry> sortedByCredits(EpochRecord r) {
    List<MerkleTree.Entry> entries = new ArrayList<>(r.entries());
    entries.sort(Comparator.comparingLong(MerkleTree.Entry::credits).reversed()
        .thenComparing(MerkleTree.Entry::miner));
    return entries;
  }
}
