package network.subnet.validator.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Reads the documents of one file in order. Malformed input fails with an exception naming the file and record. */
public interface TextReader {

  void read(Path file, Consumer<TextDocument> visitor) throws IOException;
}
