package network.subnet.validator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.text.TextTokenizer;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.cli.ExportCommand;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.tasks.DistillTaskSource;
import network.subnet.validator.tasks.TextFiles;
import network.subnet.validator.testing.Fixtures;
import network.subnet.validator.testing.WhitespaceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exports a verified epoch and reads it back with DuckDB, a Parquet reader that shares no code with the writer. */
class DatasetExportTest {

  @TempDir Path dir;

  /** Whitespace tokens under the fixtures' tokenizer hash, which the fixtures' signed results carry. */
  private final TextTokenizer tokenizer = new TextTokenizer() {
    private final WhitespaceTokenizer words = new WhitespaceTokenizer();

    @Override
    public int[] encode(String text) {
      return words.encode(text);
    }

    @Override
    public String decode(int[] ids) {
      return words.decode(ids);
    }

    @Override
    public int bosId() {
      return WhitespaceTokenizer.BOS;
    }

    @Override
    public String hash() {
      return Fixtures.TOKENIZER;
    }

    @Override
    public void close() {}
  };

  @Test
  void exportsEveryVerifiedTaskReadableByAnIndependentReader() throws Exception {
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      ValidatorNode node = verifiedEpoch(storage);
      EpochRecord epoch = node.closeEpoch();

      // The validator still holds the ledger open: the export reads beside it.
      Path out = dir.resolve("export");
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      CommandLine cli = new CommandLine(new ExportCommand());
      cli.setOut(new PrintWriter(stdout, true));
      int code = cli.execute("--data-dir", dir.resolve("ledger").toString(), "--out", out.toString(), "--json");
      assertThat(code).isZero();
      JsonNode summary = new ObjectMapper().readTree(stdout.toString());
      assertThat(summary.get("rows").asLong()).isEqualTo(3);

      JsonNode manifest = new ObjectMapper().readTree(out.resolve("epoch-0.manifest.json").toFile());
      assertThat(manifest.get("merkleRoot").asText()).isEqualTo(HexFormat.of().formatHex(epoch.merkleRoot()));
      assertThat(manifest.get("validatorKey").asText()).isEqualTo(node.validatorKey().hex());
      assertThat(manifest.get("rows").asLong()).isEqualTo(3);

      List<Row> rows = readWithDuckDb(out.resolve("epoch-0.parquet"));
      assertThat(rows).extracting(Row::documentId).containsExactlyInAnyOrder("doc-a", "doc-a", "doc-b");
      for (Row row : rows) {
        DistillSpec spec = node.ledger().task(row.taskId()).orElseThrow().task().spec();
        SoftLabels expected = Fixtures.honest(spec);
        assertThat(row.tokens()).containsExactly(spec.tokens());
        assertThat(row.modelHash()).isEqualTo(Fixtures.MODEL);
        assertThat(row.ids()).hasSize(expected.positions());
        for (int p = 0; p < expected.positions(); p++) {
          assertThat(row.ids().get(p)).containsExactly(expected.tokenIds()[p]);
          for (int j = 0; j < expected.topK(); j++) {
            assertThat(row.logProbs().get(p)[j]).isCloseTo(expected.logProbs()[p][j],
                org.assertj.core.data.Offset.offset(1e-3f));
          }
        }
      }
      assertThat(rows.stream().filter(r -> r.documentId().equals("doc-a")).map(Row::window))
          .containsExactlyInAnyOrder(0, 1);

      assertThat(cli.execute("--data-dir", dir.resolve("ledger").toString(), "--out", out.toString()))
          .as("an existing export is not replaced without --force").isEqualTo(1);
      assertThat(cli.execute("--data-dir", dir.resolve("ledger").toString(), "--out", out.toString(), "--force"))
          .isZero();
    }
  }

  @Test
  void refusesTheOpenEpochAndAMissingLedger() throws Exception {
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      ValidatorNode node = verifiedEpoch(storage);
      assertThatThrownBy(() -> new DatasetExporter(node.ledger()).export(0, dir.resolve("out"), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("epoch 0 is not closed");
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = new CommandLine(new ExportCommand());
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("--data-dir", dir.resolve("nothing").toString(), "--out", dir.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("no ledger at");
  }

  /** Two documents cut into three tasks, each answered honestly by two miners and so credited. */
  private ValidatorNode verifiedEpoch(KeyValueStorage storage) throws Exception {
    Path docs = Files.writeString(dir.resolve("docs.jsonl"),
        "{\"id\": \"doc-a\", \"text\": \"one two three four five six\"}\n{\"id\": \"doc-b\", \"text\": \"seven\"}\n");
    ValidatorConfig config = ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 4);
    ValidatorNode node = new ValidatorNode(config, storage, LocalSigner.generate(), System::currentTimeMillis);
    new DatasetImporter(
            new DistillTaskSource(tokenizer, WhitespaceTokenizer.BOS, 4, Fixtures.TOP_K, 1f, Fixtures.MODEL),
            ImportTarget.of(node), Sampling.ALL, 16)
        .run(TextFiles.of(List.of(docs)));
    TeacherSpec teacher = Fixtures.TEACHER;
    List<LocalSigner> miners = List.of(LocalSigner.generate(), LocalSigner.generate());
    for (LocalSigner m : miners) {
      node.register(m.publicKey(), Fixtures.capabilities(teacher), "test");
    }
    for (LocalSigner m : miners) {
      for (Lease lease : node.lease(m.publicKey(), 8, Duration.ZERO)) {
        node.submit(m.publicKey(), Fixtures.signed(m, lease, Fixtures.honest(lease.distill())));
      }
    }
    assertThat(node.ledger().tasksVerified()).isEqualTo(3);
    return node;
  }

  private record Row(String taskId, String documentId, int window, String modelHash, int[] tokens, List<int[]> ids,
      List<float[]> logProbs) {}

  private static List<Row> readWithDuckDb(Path parquet) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT task_id, document_id, \"window\", model_hash, token_ids, top_k_ids, "
            + "top_k_log_probs FROM read_parquet('" + parquet + "') ORDER BY task_id")) {
      while (rs.next()) {
        rows.add(new Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), ints(rs.getArray(5)),
            nestedInts(rs.getArray(6)), nestedFloats(rs.getArray(7))));
      }
    }
    return rows;
  }

  private static int[] ints(Array array) throws Exception {
    Object[] values = (Object[]) array.getArray();
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).intValue();
    }
    return out;
  }

  private static List<int[]> nestedInts(Array array) throws Exception {
    List<int[]> out = new ArrayList<>();
    for (Object inner : (Object[]) array.getArray()) {
      out.add(ints((Array) inner));
    }
    return out;
  }

  private static List<float[]> nestedFloats(Array array) throws Exception {
    List<float[]> out = new ArrayList<>();
    for (Object inner : (Object[]) array.getArray()) {
      Object[] values = (Object[]) ((Array) inner).getArray();
      float[] row = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        row[i] = ((Number) values[i]).floatValue();
      }
      out.add(row);
    }
    return out;
  }
}
