package network.subnet.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import network.subnet.node.model.TinyCheckpoint;

/** The tiny Mistral checkpoint, generated once per JVM into a temp dir, for any module's tests. */
public final class TinyModels {

  public static final long SEED = 7;

  private static Path checkpoint;

  private TinyModels() {}

  /** The directory holding config.json, the two bf16 shards with their index, and tokenizer.json. */
  public static synchronized Path checkpoint() {
    if (checkpoint == null) {
      try {
        Path dir = Files.createTempDirectory("subnet-tiny-mistral");
        TinyCheckpoint.write(dir, SEED);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        checkpoint = dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the tiny checkpoint", e);
      }
    }
    return checkpoint;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover temp dir is harmless.
    }
  }
}
