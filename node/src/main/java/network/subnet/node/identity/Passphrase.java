package network.subnet.node.identity;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Where the passphrase of an encrypted key file comes from, in order: a file named by {@code
 * --passphrase-file} (its first line), the environment variable {@value #ENV}, or a prompt on the
 * terminal with echo off. Without any of them, unlocking fails with a message naming all three.
 */
@FunctionalInterface
public interface Passphrase {

  String ENV = "SUBNET_KEY_PASSPHRASE";

  /**
   * The passphrase for {@code keyFile}; {@code confirm} asks twice at a prompt (when encrypting a
   * new key, so a typo cannot lock it away).
   */
  char[] get(Path keyFile, boolean confirm);

  /** The usual order: {@code passphraseFile} (may be null), then {@code env}, then the console. */
  static Passphrase resolve(Path passphraseFile, Map<String, String> env) {
    if (passphraseFile != null) {
      return fromFile(passphraseFile);
    }
    String value = env.get(ENV);
    if (value != null && !value.isEmpty()) {
      return of(value.toCharArray());
    }
    return console();
  }

  static Passphrase of(char[] passphrase) {
    char[] copy = passphrase.clone();
    return (keyFile, confirm) -> copy.clone();
  }

  /** The first line of {@code file}, without its line break. */
  static Passphrase fromFile(Path file) {
    return (keyFile, confirm) -> {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new KeyFileException("cannot read passphrase file " + file + ": " + e, e);
      }
      String line = text.lines().findFirst().orElse("");
      if (line.isEmpty()) {
        throw new KeyFileException("passphrase file " + file + " is empty");
      }
      return line.toCharArray();
    };
  }

  /** Prompts on the terminal without echo; refuses when there is no terminal. */
  static Passphrase console() {
    return (keyFile, confirm) -> {
      Console console = System.console();
      if (console == null) {
        throw new KeyFileException(
            "key file "
                + keyFile
                + " needs a passphrase and there is no terminal to ask on: set "
                + ENV
                + " or pass --passphrase-file FILE");
      }
      char[] first = console.readPassword("passphrase for %s: ", keyFile);
      if (first == null || first.length == 0) {
        throw new KeyFileException("no passphrase given for key file " + keyFile);
      }
      if (confirm) {
        char[] second = console.readPassword("repeat the passphrase: ");
        boolean same = Arrays.equals(first, second);
        if (second != null) {
          Arrays.fill(second, '\0');
        }
        if (!same) {
          Arrays.fill(first, '\0');
          throw new KeyFileException("the two passphrases differ; nothing was written");
        }
      }
      return first;
    };
  }
}
