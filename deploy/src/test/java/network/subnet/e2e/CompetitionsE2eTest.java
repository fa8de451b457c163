package network.subnet.e2e;

import static network.subnet.node.testing.TinyOnnx.FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import network.subnet.cli.SubnetCommand;
import network.subnet.node.config.SubnetDefaults;
import network.subnet.node.compete.ScorerRegistry;
import network.subnet.node.identity.KeyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.testing.TinyNpz;
import network.subnet.node.testing.TinyOnnx;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.competitions.CompetitionGrpcService;
import network.subnet.validator.competitions.CompetitionRegistry;
import network.subnet.validator.competitions.CompetitionsFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subnet competitions ...} and {@code subnet score ...} end to end: a validator on loopback hosts a TpuGraphs
 * and a MicroNet competition; entries are signed and submitted through the CLI, the 1% rule decides the lead, and
 * the leaderboard and lead history come back through the CLI.
 */
class CompetitionsE2eTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private RocksDbStorage storage;
  private ValidatorServer server;
  private String target;
  private Path aliceKey;
  private Path bobKey;
  private LocalSigner alice;
  private LocalSigner bob;

  @BeforeEach
  void startValidator() throws Exception {
    // Best runtime 1000: predicting config 0 scores 0.5, config 1 0.504, config 2 0.506 (2 - runtime / 1000).
    TinyNpz.tileGraph(dir.resolve("tpu/tile/xla/test/g.npz"), 1500, 1496, 1494, 1000);
    TinyNpz.layoutGraph(dir.resolve("tpu/layout/xla/default/test/h.npz"), 5, 3, 9, 1);
    Path config = Files.writeString(dir.resolve("competitions.json"), """
        {"competitions": [
          {"id": "tpu", "scorer": "runtime-prediction", "dataset": "tpu", "scoreToBeat": 0.7,
           "description": "TpuGraphs runtime prediction"},
          {"id": "micronet", "scorer": "micronet-efficiency", "dataset": "imagenet", "scoreToBeat": 0.1295}
        ]}
        """);
    storage = RocksDbStorage.open(dir.resolve("ledger"));
    CompetitionRegistry registry = new CompetitionRegistry(CompetitionsFile.read(config), ScorerRegistry.standard(),
        storage, System::currentTimeMillis);
    ValidatorNode node =
        new ValidatorNode(ValidatorConfig.defaults(), storage, LocalSigner.generate(), System::currentTimeMillis);
    server = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC(), List.of(new CompetitionGrpcService(registry)));
    server.start();
    target = "127.0.0.1:" + server.port();
    aliceKey = dir.resolve("alice.key");
    bobKey = dir.resolve("bob.key");
    alice = KeyFile.create(aliceKey);
    bob = KeyFile.create(bobKey);
  }

  @AfterEach
  void stop() {
    server.stop();
    storage.close();
  }

  private record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private static Run subnet(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = SubnetCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = SubnetDefaults.execute(cli, args, Map.of("SUBNET_INSECURE", "true"));
    return new Run(code, out.toString(), err.toString());
  }

  private Run submit(String competition, Path key, String file, byte[] content) throws Exception {
    Path entry = Files.write(dir.resolve(file), content);
    return subnet("competitions", "submit", competition, "--file", entry.toString(), "--key", key.toString(),
        "--validator", target, "--json");
  }

  private Path tpuEntry(String tileConfigs) throws Exception {
    return Files.writeString(dir.resolve("tpu-" + tileConfigs + ".csv"),
        "ID,TopConfigs\ntile:xla:g," + tileConfigs + "\nlayout:xla:default:h,3;1;0;2\n");
  }

  @Test
  void theOnePercentRuleDecidesTheLeadThroughTheCli() throws Exception {
    Run list = subnet("competitions", "list", "--validator", target, "--json");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.json()).extracting(n -> n.get("id").asText()).containsExactly("tpu", "micronet");

    // Layout graph ranked perfectly (tau 1); the competition score is the mean of the tile and layout scores.
    Run first = subnet("competitions", "submit", "tpu", "--file", tpuEntry("0").toString(), "--key",
        aliceKey.toString(), "--validator", target, "--json");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.json().get("rawScore").asDouble()).isCloseTo(0.75, within(1e-12));
    assertThat(first.json().get("tookLead").asBoolean()).isTrue();

    // (0.504 + 1) / 2 = 0.752 is better, but short of 0.75 * 1.01 = 0.7575.
    Run close = subnet("competitions", "submit", "tpu", "--file", tpuEntry("1").toString(), "--key",
        bobKey.toString(), "--validator", target, "--json");
    assertThat(close.code()).as(close.err()).isZero();
    assertThat(close.json().get("rawScore").asDouble()).isCloseTo(0.752, within(1e-12));
    assertThat(close.json().get("threshold").asDouble()).isCloseTo(0.7575, within(1e-12));
    assertThat(close.json().get("tookLead").asBoolean()).isFalse();

    // Config 3 is the fastest: (1 + 1) / 2 = 1 takes the lead.
    Run best = subnet("competitions", "submit", "tpu", "--file", tpuEntry("3;0").toString(), "--key",
        bobKey.toString(), "--validator", target);
    assertThat(best.code()).as(best.err()).isZero();
    assertThat(best.out()).contains("entry 3: took the lead");

    Run board = subnet("competitions", "leaderboard", "tpu", "--validator", target, "--json");
    assertThat(board.code()).isZero();
    assertThat(board.json()).extracting(n -> n.get("seq").asLong()).containsExactly(3L, 2L, 1L);
    assertThat(board.json().get(0).get("submitter").asText()).isEqualTo(bob.publicKey().hex());

    Run show = subnet("competitions", "show", "tpu", "--validator", target, "--json");
    assertThat(show.json().get("leader").get("seq").asLong()).isEqualTo(3);
    assertThat(show.json().get("entries").asLong()).isEqualTo(3);
    assertThat(show.json().get("leadHistory")).extracting(n -> n.get("submitter").asText())
        .containsExactly(alice.publicKey().hex(), bob.publicKey().hex());

    Path saved = dir.resolve("leader.csv");
    Run download = subnet("competitions", "download", "tpu", "--output", saved.toString(), "--validator", target);
    assertThat(download.code()).as(download.err()).isZero();
    assertThat(Files.readString(saved)).isEqualTo(Files.readString(tpuEntry("3;0")));

    Run table = subnet("competitions", "leaderboard", "tpu", "--validator", target);
    assertThat(table.out()).contains("RANK").contains(bob.publicKey().hex());
  }

  @Test
  void badEntriesAreRefusedWithTheReason() throws Exception {
    Run malformed = submit("tpu", aliceKey, "bad.csv", "ID;TopConfigs\n".getBytes());
    assertThat(malformed.code()).isEqualTo(1);
    assertThat(malformed.err()).contains("line 1").contains("ID,TopConfigs");

    Run shortRanking = submit("tpu", aliceKey, "short.csv",
        "ID,TopConfigs\ntile:xla:g,0\nlayout:xla:default:h,3;1\n".getBytes());
    assertThat(shortRanking.err()).contains("must rank all 4 configs, got 2");

    Run missing = submit("tpu", aliceKey, "missing.csv", "ID,TopConfigs\ntile:xla:g,0\n".getBytes());
    assertThat(missing.err()).contains("no row for 1 graph").contains("layout:xla:default:h");

    Run notOnnx = submit("micronet", aliceKey, "model.onnx", "this is not a model".getBytes());
    assertThat(notOnnx.code()).isEqualTo(1);
    assertThat(notOnnx.err()).contains("invalid ONNX model");

    Run unknown = submit("chess", aliceKey, "x.csv", "x".getBytes());
    assertThat(unknown.err()).contains("no competition chess");

    Run board = subnet("competitions", "leaderboard", "tpu", "--validator", target);
    assertThat(board.out()).contains("no entries yet");
  }

  @Test
  void aMicroNetStudentIsScoredLocallyAndByTheValidatorAlike() throws Exception {
    float[] w = new float[4 * 3 * 3 * 3];
    Arrays.fill(w, 0.5f);
    float[] w2 = new float[40];
    Arrays.fill(w2, 0.25f);
    byte[] model = new TinyOnnx()
        .input("x", FLOAT, 1, 3, 8, 8)
        .floats("w", new long[] {4, 3, 3, 3}, w)
        .floats("b", new long[] {4}, 1, 2, 3, 4)
        .floats("w2", new long[] {4, 10}, w2)
        .node("Conv", List.of("x", "w", "b"), List.of("y"), TinyOnnx.ints("pads", 1, 1, 1, 1))
        .node("Relu", List.of("y"), List.of("r"))
        .node("GlobalAveragePool", List.of("r"), List.of("g"))
        .node("Flatten", List.of("g"), List.of("f"))
        .node("Gemm", List.of("f", "w2"), List.of("z"))
        .output("z", FLOAT)
        .build();
    Path file = Files.write(dir.resolve("student.onnx"), model);
    Run local = subnet("score", "micronet", "--model", file.toString(), "--baseline", "imagenet", "--json");
    assertThat(local.code()).as(local.err()).isZero();
    JsonNode counts = local.json();
    // Conv 6912 multiplies and 6912 additions, Relu 256, pool 252 + 4, Gemm 40 multiplies and 30 additions.
    assertThat(counts.get("multiplies").asDouble()).isEqualTo(6956);
    assertThat(counts.get("additions").asDouble()).isEqualTo(7450);
    assertThat(counts.get("parameterStorage").asDouble()).isEqualTo((108 + 4 + 40) * 0.5);
    double expected = 76 / 6.9e6 + (6956 * 0.5 + 7450) / 1170e6;
    assertThat(counts.get("score").asDouble()).isCloseTo(expected, within(1e-15));

    Run entry = submit("micronet", aliceKey, "student2.onnx", model);
    assertThat(entry.code()).as(entry.err()).isZero();
    assertThat(entry.json().get("rawScore").asDouble()).isCloseTo(expected, within(1e-15));
    assertThat(entry.json().get("tookLead").asBoolean()).isTrue();

    Run again = submit("micronet", aliceKey, "student3.onnx", model);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already submitted this payload");
  }

  @Test
  void scoreRuntimePrintsTheCollections() throws Exception {
    Run run = subnet("score", "runtime", "--data", dir.resolve("tpu").toString(), "--submission",
        tpuEntry("2").toString(), "--json");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.json().get("score").asDouble()).isCloseTo((0.506 + 1) / 2, within(1e-12));
    assertThat(run.json().get("graphs").asLong()).isEqualTo(2);
    assertThat(run.json().get("collections").get("layout:xla:default").asDouble()).isEqualTo(1.0);

    Run bad = subnet("score", "runtime", "--data", dir.resolve("tpu").toString(), "--submission",
        dir.resolve("nope.csv").toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("nope.csv does not exist");
  }
}
