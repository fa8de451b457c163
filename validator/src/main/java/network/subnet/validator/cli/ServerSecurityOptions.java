package network.subnet.validator.cli;

import java.nio.file.Path;
import network.subnet.node.config.SubnetHome;
import network.subnet.node.transport.ServerSecurity;
import network.subnet.node.transport.limits.RateLimit;
import network.subnet.node.transport.tls.TlsIdentity;
import network.subnet.validator.security.ServerPolicy;
import picocli.CommandLine.Option;

/** The validator server's TLS, message size and rate-limit flags, as one {@link ServerPolicy}. */
public final class ServerSecurityOptions {

  @Option(
      names = "--insecure",
      description = "Serve plaintext instead of TLS (miners and clients must pass --insecure too).")
  boolean insecure;

  @Option(
      names = "--tls-dir",
      paramLabel = "DIR",
      description =
          "Where the self-signed TLS certificate and key live; made on first start (default:"
              + " $SUBNET_HOME/tls).")
  Path tlsDir;

  @Option(
      names = "--max-message-mib",
      defaultValue = "" + ServerPolicy.DEFAULT_MAX_MESSAGE_MIB,
      description = "Largest request accepted, MiB; bigger ones get RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  int maxMessageMib = ServerPolicy.DEFAULT_MAX_MESSAGE_MIB;

  @Option(
      names = "--rate-limit-per-key",
      paramLabel = "RATE[/BURST]",
      defaultValue = "20/40",
      description = "Miner calls per second per miner key, or 'unlimited' (default: ${DEFAULT-VALUE}).")
  String perKey = "20/40";

  @Option(
      names = "--rate-limit-per-address",
      paramLabel = "RATE[/BURST]",
      defaultValue = "200/400",
      description = "Miner calls per second per client IP address, or 'unlimited' (default: ${DEFAULT-VALUE}).")
  String perAddress = "200/400";

  /** The policy; loads (or on first start creates) the TLS identity unless {@code --insecure}. */
  public ServerPolicy toPolicy() {
    if (maxMessageMib < 1 || maxMessageMib > 1024) {
      throw new IllegalArgumentException("--max-message-mib must be in 1..1024, got " + maxMessageMib);
    }
    RateLimit key = parse("--rate-limit-per-key", perKey);
    RateLimit address = parse("--rate-limit-per-address", perAddress);
    ServerSecurity security =
        insecure
            ? ServerSecurity.insecure()
            : ServerSecurity.tls(TlsIdentity.loadOrCreate(tlsDir(), "subnet-validator"));
    return new ServerPolicy(security, maxMessageMib << 20, key, address);
  }

  /** The start-up line that tells the operator what miners must pin (or that nothing is encrypted). */
  public static String banner(ServerSecurity security) {
    return security
        .identity()
        .map(id -> "validator TLS certificate fingerprint (SHA-256): " + id.fingerprint()
            + "\n  miners and clients: --validator-fingerprint " + id.fingerprint())
        .orElse("validator: serving PLAINTEXT (--insecure); clients must pass --insecure");
  }

  public Path tlsDir() {
    return tlsDir != null ? tlsDir : SubnetHome.fromEnvironment().tlsDir();
  }

  private static RateLimit parse(String flag, String value) {
    try {
      return RateLimit.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }
}
