package network.subnet.validator.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import network.subnet.node.progress.Progress;

/**
 * Documents from files and directories: {@code *.jsonl} / {@code *.json} lines and {@code *.parquet} files. A
 * directory contributes its matching files (recursively) in name order, so every start sees the same order.
 */
public final class TextFiles {

  private final List<Path> files;
  private final TextReader jsonl = new JsonlTextReader();
  private final TextReader parquet = new ParquetTextReader();

  private TextFiles(List<Path> files) {
    this.files = files;
  }

  /** Expands {@code inputs} (files or directories) into the ordered list of readable files. */
  public static TextFiles of(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(Files::isRegularFile).filter(TextFiles::supported).sorted().forEach(files::add);
        }
      } else if (Files.isRegularFile(input)) {
        if (!supported(input)) {
          throw new IOException(input + ": unsupported file type (expected .jsonl, .json or .parquet)");
        }
        files.add(input);
      } else {
        throw new IOException(input + ": no such file or directory");
      }
    }
    return new TextFiles(List.copyOf(files));
  }

  public List<Path> files() {
    return files;
  }

  /** Visits every document of every file in order; a terminal shows how many have been read. */
  public void forEach(Consumer<TextDocument> visitor) throws IOException {
    try (Progress progress = Progress.start("reading texts", 0, Progress.Unit.ITEMS)) {
      for (Path file : files) {
        read(file, doc -> {
          visitor.accept(doc);
          progress.advance(1);
        });
      }
    }
  }

  /** Reads one of {@link #files()} in order. */
  public void read(Path file, Consumer<TextDocument> visitor) throws IOException {
    readerFor(file).read(file, visitor);
  }

  private TextReader readerFor(Path file) {
    return name(file).endsWith(".parquet") ? parquet : jsonl;
  }

  private static boolean supported(Path file) {
    String name = name(file);
    return name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".parquet");
  }

  private static String name(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT);
  }
}
