package network.subnet.node.cli;

import network.subnet.node.transport.ChannelSecurity;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a client (miner, query and admin commands) trusts the validator it dials: TLS pinned to the
 * certificate fingerprint the validator prints at start, or plaintext with an explicit {@code
 * --insecure}. There is no silent default: a client that was told neither refuses to start.
 */
public final class ValidatorTrustOptions {

  @Option(
      names = "--validator-fingerprint",
      paramLabel = "HEX",
      description =
          "SHA-256 fingerprint of the validator's TLS certificate, as the validator prints it at start"
              + " (env SUBNET_VALIDATOR_FINGERPRINT).")
  String fingerprint;

  @Option(
      names = "--insecure",
      description = "Talk plaintext, without TLS: only to a validator that also runs with --insecure.")
  boolean insecure;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /**
   * The security these options ask for; {@code fallbackFingerprint} (may be null) is used when no
   * fingerprint was given, e.g. the local validator's own certificate. A contradiction or a missing
   * choice is a picocli {@link ParameterException} (usage error) naming the problem.
   */
  public ChannelSecurity security(String fallbackFingerprint) {
    try {
      return choose(fallbackFingerprint);
    } catch (IllegalArgumentException e) {
      if (mixee == null) {
        throw e;
      }
      throw new ParameterException(mixee.commandLine(), e.getMessage(), e);
    }
  }

  private ChannelSecurity choose(String fallbackFingerprint) {
    boolean pinned = fingerprint != null && !fingerprint.isBlank();
    if (pinned && insecure) {
      throw new IllegalArgumentException(
          "--insecure and --validator-fingerprint contradict each other: plaintext has no certificate"
              + " to pin; give one or the other");
    }
    if (insecure) {
      return ChannelSecurity.insecure();
    }
    if (pinned) {
      return ChannelSecurity.pinned(fingerprint);
    }
    if (fallbackFingerprint != null) {
      return ChannelSecurity.pinned(fallbackFingerprint);
    }
    throw new IllegalArgumentException(
        "no way to trust the validator: pass --validator-fingerprint HEX (the validator prints it at"
            + " start; env SUBNET_VALIDATOR_FINGERPRINT), or --insecure if it runs without TLS");
  }

  public ChannelSecurity security() {
    return security(null);
  }
}
