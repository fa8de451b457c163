package network.subnet.node.cli;

import java.nio.file.Path;
import network.subnet.node.identity.KeyAccess;
import network.subnet.node.identity.Passphrase;
import picocli.CommandLine.Option;

/**
 * How a command unlocks its key file: the passphrase file for an encrypted key (else {@value
 * Passphrase#ENV}, else a terminal prompt), and the override for a key file others can read.
 */
public final class KeyAccessOptions {

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the key's passphrase (else env " + Passphrase.ENV + ", else a prompt).")
  Path passphraseFile;

  @Option(
      names = "--allow-open-key-permissions",
      description = "Use a key file that group or others can read (normally refused; fix it with chmod 600).")
  boolean allowOpenPermissions;

  public KeyAccess access() {
    return KeyAccess.of(passphraseFile, allowOpenPermissions);
  }

  public Path passphraseFile() {
    return passphraseFile;
  }
}
