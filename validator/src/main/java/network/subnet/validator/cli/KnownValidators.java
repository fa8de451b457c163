package network.subnet.validator.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import network.subnet.node.identity.PublicKey;

/**
 * Validator keys trusted on first use, one {@code HOST:PORT HEX-KEY} line per validator (like ssh's known_hosts): the
 * first verified answer from an address pins its key, and a later answer signed by another key is refused.
 */
final class KnownValidators {

  private final Path file;

  KnownValidators(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The key recorded for {@code address}, if any; a damaged line is an error naming the file and line. */
  Optional<PublicKey> lookup(String address) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read known validators " + file + ": " + e.getMessage(), e);
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'HOST:PORT KEY', got '" + line + "'");
      }
      if (parts[0].equals(address)) {
        try {
          return Optional.of(PublicKey.fromHex(parts[1]));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
        }
      }
    }
    return Optional.empty();
  }

  void remember(String address, PublicKey key) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, address + " " + key.hex() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the validator key in " + file + ": " + e.getMessage(), e);
    }
  }
}
