package network.subnet.validator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import network.subnet.validator.testing.WhitespaceTokenizer;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSourceTest {

  @TempDir Path dir;

  private final DistillTaskSource source =
      new DistillTaskSource(new WhitespaceTokenizer(), WhitespaceTokenizer.BOS, 4, 8, 1.0f, "model");

  private List<Task> read(Path... inputs) throws IOException {
    List<Task> tasks = new ArrayList<>();
    source.read(TextFiles.of(List.of(inputs)), tasks::add);
    return tasks;
  }

  private static void writeParquet(Path file, MessageType schema, String column, List<String> values)
      throws IOException {
    writeParquet(file, schema, column, values, CompressionCodecName.UNCOMPRESSED);
  }

  private static void writeParquet(
      Path file, MessageType schema, String column, List<String> values, CompressionCodecName codec)
      throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema).withCompressionCodec(codec).build()) {
      for (String v : values) {
        Group g = groups.newGroup().append("id", (long) v.length());
        if (v != null) {
          g.append(column, v);
        }
        writer.write(g);
      }
    }
  }

  private static MessageType schema(String column) {
    return Types.buildMessage()
        .required(PrimitiveTypeName.INT64).named("id")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(column)
        .named("doc");
  }

  @Test
  void jsonlDocumentsBecomeWindowsThatEachStartWithBos() throws IOException {
    Path file = dir.resolve("a.jsonl");
    Files.writeString(file, """
        {"text": "one two three four five six seven", "id": 1}

        {"text": "   "}
        {"text": "alpha"}
        """);
    List<Task> tasks = read(file);
    assertThat(tasks).hasSize(4);
    assertThat(tasks.get(0).spec().tokens()).containsExactly(1, 3, 4, 5);
    assertThat(tasks.get(1).spec().tokens()).containsExactly(1, 6, 7, 8);
    assertThat(tasks.get(2).spec().tokens()).containsExactly(1, 9);
    assertThat(tasks).allSatisfy(t -> {
      assertThat(t.tokenCount()).isLessThanOrEqualTo(4);
      assertThat(t.spec().tokens()[0]).isEqualTo(1);
      assertThat(t.spec().topK()).isEqualTo(8);
      assertThat(t.spec().tokenizerHash()).isEqualTo("whitespace-tokenizer");
    });
  }

  @Test
  void taskIdsAreDeterministicAndDistinct() throws IOException {
    Path file = dir.resolve("a.jsonl");
    Files.writeString(file, "{\"text\": \"a b c d e f g h\"}\n{\"text\": \"a b c\"}\n");
    List<Task> first = read(file);
    List<Task> second = read(file);
    assertThat(first).extracting(Task::id).containsExactlyElementsOf(second.stream().map(Task::id).toList());
    assertThat(first).extracting(Task::id).allMatch(id -> id.matches("[0-9a-f]{64}"));
    assertThat(first.subList(0, 3)).extracting(Task::id).doesNotHaveDuplicates();
    assertThat(first.get(3).id()).as("same tokens, same task").isEqualTo(first.get(0).id());
  }

  @Test
  void malformedJsonNamesFileAndLine() throws IOException {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, "{\"text\": \"fine\"}\n{\"text\": \"broken\n");
    assertThatThrownBy(() -> read(file)).isInstanceOf(IOException.class).hasMessageContaining("bad.jsonl:2")
        .hasMessageContaining("malformed JSON");
    Files.writeString(file, "{\"body\": \"no text field\"}\n");
    assertThatThrownBy(() -> read(file)).hasMessageContaining("bad.jsonl:1").hasMessageContaining("\"text\"");
  }

  @Test
  void parquetTextColumnIsRead() throws IOException {
    Path file = dir.resolve("shard.parquet");
    writeParquet(file, schema("text"), "text", List.of("red green blue", "", "cyan magenta yellow black white"));
    List<Task> tasks = read(file);
    assertThat(tasks).hasSize(3);
    assertThat(tasks.get(0).spec().tokens()).containsExactly(1, 3, 4, 5);
    assertThat(tasks.get(1).spec().tokens()).containsExactly(1, 6, 7, 8);
    assertThat(tasks.get(2).spec().tokens()).containsExactly(1, 9, 10);
  }

  @Test
  void parquetIdColumnNamesTheDocuments() throws IOException {
    Path file = dir.resolve("ids.parquet");
    writeParquet(file, schema("text"), "text", List.of("a", "bb b", "ccc c c"));
    List<TextDocument> docs = new ArrayList<>();
    TextFiles.of(List.of(file)).forEach(docs::add);
    assertThat(docs).extracting(TextDocument::id).containsExactly("1", "4", "7");
    assertThat(docs.get(0).location()).endsWith("ids.parquet:row 0");
  }

  @Test
  void compressedParquetAsFineWebShipsIt() throws IOException {
    for (CompressionCodecName codec : List.of(CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD)) {
      Path file = dir.resolve("shard-" + codec + ".parquet");
      writeParquet(file, schema("text"), "text", List.of("one two", "three"), codec);
      assertThat(read(file)).as(codec.toString()).hasSize(2);
    }
  }

  @Test
  void parquetWithoutTextColumnIsAClearError() throws IOException {
    Path file = dir.resolve("other.parquet");
    writeParquet(file, schema("content"), "content", List.of("x y"));
    assertThatThrownBy(() -> read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("other.parquet")
        .hasMessageContaining("no \"text\" column")
        .hasMessageContaining("content");
  }

  @Test
  void directoriesAreReadInNameOrder() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("shards"));
    Files.writeString(sub.resolve("b.jsonl"), "{\"text\": \"second\"}\n");
    Files.writeString(sub.resolve("a.jsonl"), "{\"text\": \"first\"}\n");
    Files.writeString(sub.resolve("notes.txt"), "ignored");
    writeParquet(sub.resolve("c.parquet"), schema("text"), "text", List.of("third"));
    TextFiles files = TextFiles.of(List.of(sub));
    assertThat(files.files())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("a.jsonl", "b.jsonl", "c.parquet");
    List<String> texts = new ArrayList<>();
    files.forEach(d -> texts.add(d.text()));
    assertThat(texts).containsExactly("first", "second", "third");
    assertThatThrownBy(() -> TextFiles.of(List.of(dir.resolve("missing")))).hasMessageContaining("no such file");
  }
}
