package network.subnet.node.identity;

import java.nio.file.Path;
import java.util.Map;

/**
 * What loading a key file may use: the passphrase source for an encrypted file, and whether a key
 * file readable by group or others is accepted (normally refused).
 */
public record KeyAccess(Passphrase passphrase, boolean allowOpenPermissions) {

  /** The flag-free default: passphrase from {@value Passphrase#ENV} or the console; permissions enforced. */
  public static KeyAccess fromEnvironment() {
    return new KeyAccess(Passphrase.resolve(null, System.getenv()), false);
  }

  public static KeyAccess of(Path passphraseFile, boolean allowOpenPermissions) {
    return new KeyAccess(Passphrase.resolve(passphraseFile, System.getenv()), allowOpenPermissions);
  }

  public KeyAccess withPassphrase(Passphrase p) {
    return new KeyAccess(p, allowOpenPermissions);
  }

  public KeyAccess allowingOpenPermissions() {
    return new KeyAccess(passphrase, true);
  }
}
