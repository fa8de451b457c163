package network.subnet.validator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ledger.DatasetPosition;
import network.subnet.validator.ledger.DocumentBatch;
import network.subnet.validator.tasks.DistillTaskSource;
import network.subnet.validator.tasks.TextFiles;
import network.subnet.validator.testing.Fixtures;
import network.subnet.validator.testing.WhitespaceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetImporterTest {

  @TempDir Path dir;

  private final InMemoryStorage storage = new InMemoryStorage();
  private final WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();

  private ValidatorNode node() {
    return new ValidatorNode(ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, 4, 4), storage,
        LocalSigner.generate(), System::currentTimeMillis);
  }

  private DatasetImporter importer(ImportTarget target, Sampling sampling, int step) {
    return new DatasetImporter(new DistillTaskSource(tokenizer, WhitespaceTokenizer.BOS, 4, 4, 1f, Fixtures.MODEL),
        target, sampling, step);
  }

  private Path jsonl(String name, int from, int to) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("{\"id\": \"doc-").append(i).append("\", \"text\": \"word").append(i).append(" and more\"}\n");
    }
    return Files.writeString(dir.resolve(name), sb.toString());
  }

  @Test
  void takesEachDocumentIdOnceAcrossFiles() throws Exception {
    Path a = jsonl("a.jsonl", 0, 6);
    Path b = jsonl("b.jsonl", 4, 9);
    ValidatorNode node = node();
    DatasetImporter.Report r = importer(ImportTarget.of(node), Sampling.ALL, 2).run(TextFiles.of(List.of(a, b)));
    assertThat(r.documentsRead()).isEqualTo(11);
    assertThat(r.imported()).isEqualTo(9);
    assertThat(r.duplicates()).as("doc-4 and doc-5 appear in both files").isEqualTo(2);
    assertThat(r.tasksAdded()).isEqualTo(9);
    assertThat(node.ledger().hasDocument("doc-8")).isTrue();
    assertThat(node.ledger().tasksTotal()).isEqualTo(9);
  }

  @Test
  void resumesAfterACrashWithoutReissuingADocument() throws Exception {
    Path file = jsonl("shard.jsonl", 0, 10);
    ValidatorNode node = node();
    ImportTarget crashing = new CrashAfter(ImportTarget.of(node), 2);
    assertThatThrownBy(() -> importer(crashing, Sampling.ALL, 3).run(TextFiles.of(List.of(file))))
        .hasMessageContaining("crash");
    assertThat(node.ledger().tasksTotal()).as("two steps of three documents were stored").isEqualTo(6);

    ValidatorNode restarted = node();
    DatasetImporter.Report r = importer(ImportTarget.of(restarted), Sampling.ALL, 3).run(TextFiles.of(List.of(file)));
    assertThat(r.alreadyDone()).isEqualTo(6);
    assertThat(r.imported()).isEqualTo(4);
    assertThat(r.duplicates()).isZero();
    assertThat(restarted.ledger().tasksTotal()).isEqualTo(10);

    DatasetImporter.Report again = importer(ImportTarget.of(node()), Sampling.ALL, 3).run(TextFiles.of(List.of(file)));
    assertThat(again.alreadyDone()).isEqualTo(10);
    assertThat(again.tasksAdded()).isZero();
  }

  @Test
  void rereadsARewrittenFileButStillTakesNoDocumentTwice() throws Exception {
    Path file = jsonl("shard.jsonl", 0, 5);
    importer(ImportTarget.of(node()), Sampling.ALL, 2).run(TextFiles.of(List.of(file)));
    jsonl("shard.jsonl", 0, 8);
    DatasetImporter.Report r = importer(ImportTarget.of(node()), Sampling.ALL, 2).run(TextFiles.of(List.of(file)));
    assertThat(r.alreadyDone()).isZero();
    assertThat(r.duplicates()).isEqualTo(5);
    assertThat(r.imported()).isEqualTo(3);
  }

  @Test
  void samplesTheSameDocumentsEveryTime() throws Exception {
    Path file = jsonl("big.jsonl", 0, 1000);
    Set<String> first = taken(file, new Sampling(0.3, 7));
    assertThat(first.size()).isBetween(240, 360);
    assertThat(taken(file, new Sampling(0.3, 7))).isEqualTo(first);
    assertThat(taken(file, new Sampling(0.3, 8))).isNotEqualTo(first);
    assertThatThrownBy(() -> new Sampling(0, 1)).hasMessageContaining("sample rate");
    assertThatThrownBy(() -> new Sampling(1.5, 1)).hasMessageContaining("sample rate");
  }

  private Set<String> taken(Path file, Sampling sampling) throws IOException {
    Set<String> ids = new HashSet<>();
    ImportTarget recording = new ImportTarget() {
      @Override
      public Optional<DatasetPosition> position(String source) {
        return Optional.empty();
      }

      @Override
      public boolean hasDocument(String documentId) {
        return ids.contains(documentId);
      }

      @Override
      public int store(DocumentBatch batch) {
        batch.documents().forEach(d -> ids.add(d.id()));
        return batch.documents().size();
      }
    };
    importer(recording, sampling, 64).run(TextFiles.of(List.of(file)));
    return ids;
  }

  @Test
  void documentsWithoutAnIdAreKnownByTheirLocation() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.jsonl"), "{\"text\": \"x y\"}\n\n{\"text\": \"z\"}\n");
    ValidatorNode node = node();
    importer(ImportTarget.of(node), Sampling.ALL, 8).run(TextFiles.of(List.of(file)));
    assertThat(node.ledger().hasDocument(file + ":1")).isTrue();
    assertThat(node.ledger().hasDocument(file + ":3")).isTrue();
    List<String> origins = new ArrayList<>();
    node.ledger().forEachPendingTask(t -> origins.add(node.ledger().taskOrigin(t.task().id()).orElseThrow().documentId()));
    assertThat(origins).containsExactlyInAnyOrder(file + ":1", file + ":3");
  }

  @Test
  void refusesAnIdThatIsNeitherStringNorInteger() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\": [1], \"text\": \"x\"}\n");
    assertThatThrownBy(() -> importer(ImportTarget.of(node()), Sampling.ALL, 8).run(TextFiles.of(List.of(file))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad.jsonl:1")
        .hasMessageContaining("\"id\"");
  }

  /** Stores {@code steps} steps, then fails as a crash would, before the next step is durable. */
  private static final class CrashAfter implements ImportTarget {
    private final ImportTarget inner;
    private int left;

    CrashAfter(ImportTarget inner, int steps) {
      this.inner = inner;
      this.left = steps;
    }

    @Override
    public Optional<DatasetPosition> position(String source) {
      return inner.position(source);
    }

    @Override
    public boolean hasDocument(String documentId) {
      return inner.hasDocument(documentId);
    }

    @Override
    public int store(DocumentBatch batch) {
      if (left-- == 0) {
        throw new IllegalStateException("simulated crash");
      }
      return inner.store(batch);
    }
  }
}
