package network.subnet.miner.behavior;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a miner answers its tasks. Everything but {@link #HONEST} is an adversary that exists to test the validator's
 * defences (tests, devnet and {@code subnet miner --behavior}); each is a {@link network.subnet.miner.teacher.Teacher}
 * decorator, so the miner daemon itself does not know which one it runs.
 */
public enum Behavior {
  /** Runs the teacher. */
  HONEST,
  /** Answers random soft labels of the right shape. */
  RANDOM,
  /** Answers with a cheaper model while reporting the real teacher's hashes. */
  LAZY,
  /** Computes once, then resubmits old answers for new tasks. */
  REPLAY,
  /** Copies another miner's answer to the same task (seen on a bulletin) and signs it as its own. */
  COPYCAT,
  /** Several keys of one operator that all send the same wrong answer, so that they agree with one another. */
  COLLUDE;

  /** The behaviour named {@code name} (any case), or an {@link IllegalArgumentException} listing the names. */
  public static Behavior parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown miner behavior '" + name + "'; expected one of " + names());
    }
  }

  public static String names() {
    return Arrays.stream(values()).map(Behavior::cliName).collect(Collectors.joining(", "));
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean adversarial() {
    return this != HONEST;
  }
}
