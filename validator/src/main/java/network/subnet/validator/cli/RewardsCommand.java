package network.subnet.validator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.query.QueryClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code subnet rewards}: an epoch's signed reward shares, with the signature and Merkle root checked locally; with
 * {@code --verify}, one miner's entry checked through its Merkle proof; with {@code --explain}, why a miner earned what
 * it earned.
 */
@Command(
    name = "rewards",
    mixinStandardHelpOptions = true,
    description = {
      "Show the reward shares of a closed epoch (default: the latest) as the validator signed them.",
      "--verify --key KEY|--key-file FILE: fetch one miner's entry with its Merkle proof and check it against the"
          + " signed root and the validator's key; prints 'verified' and exits 0, or exits 3 with the reason.",
      "--explain KEY: tasks verified, failed, pending and held back, gold results and credits per task kind."
    })
public final class RewardsCommand implements Callable<Integer> {

  @Mixin QueryOptions query;

  @Option(
      names = "--epoch",
      paramLabel = "N",
      defaultValue = "-1",
      description = "Epoch number (default: the latest closed epoch).")
  long epoch;

  @Option(names = "--verify", description = "Verify one miner's entry (--key or --key-file) through its Merkle proof.")
  boolean verify;

  @ArgGroup(exclusive = true)
  MinerKey minerKey;

  /** The miner whose entry --verify checks. */
  static final class MinerKey {
    @Option(names = "--key", paramLabel = "KEY", description = "The miner's public key (hex) or its key file.")
    String hex;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The miner's key file (its public key is used).")
    Path file;
  }

  @Option(
      names = "--validator-key",
      paramLabel = "HEX",
      description = "The validator's public key to verify against; without it the key is trusted on first use.")
  String validatorKey;

  @Option(
      names = "--known-validators",
      paramLabel = "FILE",
      defaultValue = "${sys:user.home}/.subnet/known-validators",
      description = "Where validator keys trusted on first use are recorded (default: ${DEFAULT-VALUE}).")
  Path knownValidators;

  @Option(names = "--explain", paramLabel = "KEY", description = "Explain this miner's credits in the epoch.")
  String explain;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String usage = usageError();
    if (usage != null) {
      err.println("error: " + usage);
      return 2;
    }
    try (QueryClient client = QueryClient.connect(query.validator, query.security())) {
      if (verify) {
        PublicKey pinned = validatorKey == null ? null : PublicKey.fromHex(validatorKey);
        KnownValidators known = new KnownValidators(knownValidators);
        return new RewardsVerifier(client, query.validator, known).verify(epoch, miner(), pinned, query.json, out, err);
      }
      if (explain != null) {
        RewardsExplanation.print(out, client.explain(epoch, PublicKey.fromHex(explain)), query.json);
        out.flush();
        return 0;
      }
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

  private String usageError() {
    if (verify && explain != null) {
      return "--verify and --explain are separate questions: ask one at a time";
    }
    if (verify && minerKey == null) {
      return "--verify needs the miner: --key KEY or --key-file FILE";
    }
    // Only flags count here: a shared config file or SUBNET_* environment may well name a key for other commands.
    ParseResult given = spec.commandLine().getParseResult();
    if (!verify && Stream.of("--key", "--key-file", "--validator-key").anyMatch(given::hasMatchedOption)) {
      return "--key, --key-file and --validator-key go with --verify";
    }
    return null;
  }

  private PublicKey miner() {
    ParseResult given = spec.commandLine().getParseResult();
    boolean file = given.hasMatchedOption("--key-file") || (minerKey.hex == null && !given.hasMatchedOption("--key"));
    return file ? KeyFile.load(minerKey.file).publicKey() : keyOrKeyFile(minerKey.hex);
  }

  // Elsewhere --key names a key file (miner, validator, keys), so a config file shared with them may fill it with one.
  private static PublicKey keyOrKeyFile(String value) {
    try {
      return PublicKey.fromHex(value);
    } catch (IllegalArgumentException notHex) {
      Path path = Path.of(value);
      if (Files.isRegularFile(path)) {
        return KeyFile.load(path).publicKey();
      }
      throw new IllegalArgumentException("--key '" + value + "' is neither a hex public key nor a key file", notHex);
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
