package network.subnet.node.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The directory holding a node's key, ledger and model files: {@code $SUBNET_HOME}, or {@code ~/.subnet} when that
 * is unset.
 */
public record SubnetHome(Path root) {

  public static final String ENV = "SUBNET_HOME";
  public static final String DEFAULT_DIR = ".subnet";

  public SubnetHome {
    root = root.toAbsolutePath().normalize();
  }

  /** From the process environment and the {@code user.home} system property. */
  public static SubnetHome fromEnvironment() {
    return resolve(System.getenv(), System.getProperty("user.home"));
  }

  /** From a given environment, so callers and tests need not touch the real one. */
  public static SubnetHome resolve(Map<String, String> env, String userHome) {
    String configured = env.get(ENV);
    if (configured != null && !configured.isBlank()) {
      String dir = configured.strip();
      // A value set in a service file or .env is not expanded by a shell.
      if (dir.equals("~") || dir.startsWith("~/")) {
        return new SubnetHome(Path.of(userHome, dir.substring(1).replaceFirst("^/", "")));
      }
      return new SubnetHome(Path.of(dir));
    }
    return new SubnetHome(Path.of(userHome, DEFAULT_DIR));
  }

  /** The node's Ed25519 key file. */
  public Path keyFile() {
    return root.resolve("key");
  }

  /** The RocksDB ledger directory. */
  public Path ledgerDir() {
    return root.resolve("ledger");
  }

  /** The validator's self-signed TLS certificate and key. */
  public Path tlsDir() {
    return root.resolve("tls");
  }

  /** Downloaded or converted model checkpoints. */
  public Path modelsDir() {
    return root.resolve("models");
  }
}
