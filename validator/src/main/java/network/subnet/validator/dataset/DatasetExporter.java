package network.subnet.validator.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.TaskKind;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.TaskOrigin;
import network.subnet.validator.ledger.TaskRecord;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Releases the verified teacher outputs of a closed epoch as a dataset: one Parquet file with a row per distill task
 * credited in the epoch (document id and window where the task came from a dataset import, token ids, per-position
 * top-k ids and log-probabilities, the teacher's hashes) and a manifest with the epoch's signed Merkle root, so a
 * reader can tie the data to the rewards it paid for.
 *
 * <p>Lists use Parquet's standard three-level LIST layout, which pandas, pyarrow, DuckDB and Spark read as nested
 * arrays. Of a task's agreeing replicas the one with the smallest miner key is exported: they agree within the
 * verification tolerance, and a fixed choice makes two exports of one epoch identical.
 */
public final class DatasetExporter {

  public static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message subnet_distill {
        required binary task_id (STRING);
        optional binary document_id (STRING);
        optional int32 window;
        required int64 epoch;
        required binary model_hash (STRING);
        required binary tokenizer_hash (STRING);
        required int32 top_k;
        required float temperature;
        required binary miner_key (STRING);
        required group token_ids (LIST) {
          repeated group list { required int32 element; }
        }
        required group top_k_ids (LIST) {
          repeated group list {
            required group element (LIST) { repeated group list { required int32 element; } }
          }
        }
        required group top_k_log_probs (LIST) {
          repeated group list {
            required group element (LIST) { repeated group list { required float element; } }
          }
        }
      }
      """);

  /** What an export wrote. {@code skipped} counts credited tasks that were not distill tasks. */
  public record Summary(long epoch, Path data, Path manifest, long rows, long skipped) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Ledger ledger;

  public DatasetExporter(Ledger ledger) {
    this.ledger = ledger;
  }

  /**
   * Writes {@code epoch-N.parquet} and {@code epoch-N.manifest.json} into {@code outDir} (created if needed). Files
   * are written under temporary names and renamed at the end, so a failed export leaves nothing half-written.
   *
   * @throws IllegalArgumentException if the epoch is not closed, or its files exist and {@code overwrite} is false
   */
  public Summary export(long epoch, Path outDir, boolean overwrite) throws IOException {
    EpochRecord record = ledger.epoch(epoch).orElseThrow(() -> new IllegalArgumentException(
        "epoch " + epoch + " is not closed (the open epoch is " + ledger.openEpoch().number()
            + "); only closed epochs, with their signed roots, can be exported"));
    Files.createDirectories(outDir);
    Path data = outDir.resolve("epoch-" + epoch + ".parquet");
    Path manifest = outDir.resolve("epoch-" + epoch + ".manifest.json");
    if (!overwrite && (Files.exists(data) || Files.exists(manifest))) {
      throw new IllegalArgumentException(data + " already exists; pass --force to replace it");
    }
    Path tmpData = outDir.resolve(".epoch-" + epoch + ".parquet.tmp");
    Files.deleteIfExists(tmpData);
    long rows = 0;
    long skipped = 0;
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(tmpData))
        .withConf(new PlainParquetConfiguration())
        .withType(SCHEMA)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build()) {
      for (String taskId : ledger.creditedTasks(epoch)) {
        Optional<Group> row = row(groups, epoch, taskId);
        if (row.isPresent()) {
          writer.write(row.get());
          rows++;
        } else {
          skipped++;
        }
      }
    }
    Path tmpManifest = outDir.resolve(".epoch-" + epoch + ".manifest.json.tmp");
    JSON.writeValue(tmpManifest.toFile(), manifest(record, data.getFileName().toString(), rows));
    Files.move(tmpData, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(tmpManifest, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Summary(epoch, data, manifest, rows, skipped);
  }

  private Optional<Group> row(SimpleGroupFactory groups, long epoch, String taskId) {
    Optional<TaskRecord> task = ledger.task(taskId);
    if (task.isEmpty() || task.get().task().kind() != TaskKind.DISTILL) {
      return Optional.empty();
    }
    Optional<ResultRecord> agreed = ledger.results(taskId).stream()
        .filter(r -> r.status() == ResultRecord.Status.AGREED)
        .min(Comparator.comparing(r -> r.miner().hex()));
    if (agreed.isEmpty()) {
      return Optional.empty();
    }
    DistillSpec spec = task.get().task().spec();
    SoftLabels labels = SoftLabelCodec.decode(agreed.get().result().softLabels());
    Group row = groups.newGroup()
        .append("task_id", taskId)
        .append("epoch", epoch)
        .append("model_hash", spec.modelHash())
        .append("tokenizer_hash", spec.tokenizerHash())
        .append("top_k", spec.topK())
        .append("temperature", spec.temperature())
        .append("miner_key", agreed.get().miner().hex());
    ledger.taskOrigin(taskId).ifPresent((TaskOrigin o) -> row.append("document_id", o.documentId())
        .append("window", o.window()));
    Group tokens = row.addGroup("token_ids");
    for (int t : spec.tokens()) {
      tokens.addGroup("list").append("element", t);
    }
    Group ids = row.addGroup("top_k_ids");
    Group logProbs = row.addGroup("top_k_log_probs");
    for (int p = 0; p < labels.positions(); p++) {
      Group idRow = ids.addGroup("list").addGroup("element");
      Group lpRow = logProbs.addGroup("list").addGroup("element");
      for (int j = 0; j < labels.topK(); j++) {
        idRow.addGroup("list").append("element", labels.tokenIds()[p][j]);
        lpRow.addGroup("list").append("element", labels.logProbs()[p][j]);
      }
    }
    return Optional.of(row);
  }

  private static Map<String, Object> manifest(EpochRecord r, String dataFile, long rows) {
    HexFormat hex = HexFormat.of();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "subnet-distill/1");
    m.put("data", dataFile);
    m.put("rows", rows);
    m.put("epoch", r.epoch());
    m.put("startMs", r.startMs());
    m.put("endMs", r.endMs());
    m.put("merkleRoot", hex.formatHex(r.merkleRoot()));
    m.put("signature", hex.formatHex(r.signature()));
    m.put("validatorKey", r.validator().hex());
    m.put("schema", SCHEMA.toString());
    return m;
  }
}
