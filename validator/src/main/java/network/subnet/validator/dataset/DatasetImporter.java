package network.subnet.validator.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import network.subnet.node.progress.Progress;
import network.subnet.validator.ledger.DatasetPosition;
import network.subnet.validator.ledger.DocumentBatch;
import network.subnet.validator.tasks.DistillTaskSource;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.tasks.TextDocument;
import network.subnet.validator.tasks.TextFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports text datasets (FineWeb-style Parquet shards, JSONL) into distill tasks: sampled by document id,
 * deduplicated by document id across every file ever imported, and resumable. Each step (up to {@code stepDocuments}
 * documents read) is stored atomically with the file position after it, so a restart skips what is done without
 * tokenizing it again and never issues a document twice.
 *
 * <p>A file whose size changed since its position was stored is read from the start again; the document ids still
 * keep what was taken before from being taken twice.
 */
public final class DatasetImporter {

  private static final Logger LOG = LoggerFactory.getLogger(DatasetImporter.class);

  /** What one run did. {@code alreadyDone} counts documents skipped because an earlier run had read them. */
  public record Report(
      int files, long documentsRead, long alreadyDone, long sampledOut, long duplicates, long imported,
      long tasksAdded) {}

  private final DistillTaskSource taskSource;
  private final ImportTarget target;
  private final Sampling sampling;
  private final int stepDocuments;

  public DatasetImporter(DistillTaskSource taskSource, ImportTarget target, Sampling sampling, int stepDocuments) {
    if (stepDocuments < 1) {
      throw new IllegalArgumentException("documents per import step must be >= 1, got " + stepDocuments);
    }
    this.taskSource = taskSource;
    this.target = target;
    this.sampling = sampling;
    this.stepDocuments = stepDocuments;
  }

  public Report run(TextFiles files) throws IOException {
    Counts total = new Counts();
    try (Progress progress = Progress.start("importing texts", 0, Progress.Unit.ITEMS)) {
      for (Path file : files.files()) {
        Counts c = importFile(files, file, progress);
        LOG.info("dataset {}: {} documents read, {} already done, {} sampled out, {} duplicates, {} imported "
            + "({} new tasks)", file, c.read, c.alreadyDone, c.sampledOut, c.duplicates, c.imported, c.tasks);
        total.add(c);
      }
    }
    return new Report(files.files().size(), total.read, total.alreadyDone, total.sampledOut, total.duplicates,
        total.imported, total.tasks);
  }

  private Counts importFile(TextFiles files, Path file, Progress progress) throws IOException {
    String source = file.toAbsolutePath().normalize().toString();
    long size = Files.size(file);
    Optional<DatasetPosition> stored = target.position(source);
    long start = 0;
    if (stored.isPresent() && stored.get().fileSize() == size) {
      start = stored.get().nextDocument();
    } else if (stored.isPresent()) {
      LOG.warn("dataset {} changed size ({} -> {} bytes) since it was imported; reading it again from the start",
          file, stored.get().fileSize(), size);
    }
    Step step = new Step(source, size, start, progress);
    files.read(file, step::accept);
    step.flush();
    return step.counts;
  }

  /** The documents of one file read since the last stored position. */
  private final class Step {
    final String source;
    final long fileSize;
    final long start;
    final Counts counts = new Counts();
    final Progress progress;
    final List<DocumentBatch.Document> documents = new ArrayList<>();
    final Set<String> ids = new HashSet<>();
    long index;
    long sinceFlush;

    Step(String source, long fileSize, long start, Progress progress) {
      this.progress = progress;
      this.source = source;
      this.fileSize = fileSize;
      this.start = start;
    }

    void accept(TextDocument doc) {
      long i = index++;
      counts.read++;
      progress.advance(1);
      if (i < start) {
        counts.alreadyDone++;
        return;
      }
      if (!sampling.keeps(doc.id())) {
        counts.sampledOut++;
      } else if (ids.contains(doc.id()) || target.hasDocument(doc.id())) {
        counts.duplicates++;
      } else {
        List<Task> tasks = new ArrayList<>();
        taskSource.tasksOf(doc.text(), tasks::add);
        documents.add(new DocumentBatch.Document(doc.id(), doc.location(), tasks));
        ids.add(doc.id());
        counts.imported++;
      }
      if (++sinceFlush >= stepDocuments) {
        flush();
      }
    }

    /** Stores the documents taken and the position after the last one read (also when none was taken). */
    void flush() {
      if (sinceFlush == 0) {
        return;
      }
      counts.tasks += target.store(new DocumentBatch(new DatasetPosition(source, fileSize, index), documents));
      documents.clear();
      ids.clear();
      sinceFlush = 0;
    }
  }

  private static final class Counts {
    long read;
    long alreadyDone;
    long sampledOut;
    long duplicates;
    long imported;
    long tasks;

    void add(Counts c) {
      read += c.read;
      alreadyDone += c.alreadyDone;
      sampledOut += c.sampledOut;
      duplicates += c.duplicates;
      imported += c.imported;
      tasks += c.tasks;
    }
  }
}
