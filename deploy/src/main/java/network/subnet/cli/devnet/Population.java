package network.subnet.cli.devnet;

import java.util.List;
import network.subnet.miner.behavior.Behavior;
import network.subnet.validator.TrustConfig;

/**
 * Who a devnet's miners are: {@code adversaries} of them, spread evenly among the honest ones, take the behaviours of
 * {@code mix} in turn (list {@code collude} twice for a colluding pair: all colluders share one wrong answer). The
 * validator makes {@code goldFraction} of the distill tasks gold.
 */
public record Population(int adversaries, List<Behavior> mix, double goldFraction) {

  public Population {
    mix = List.copyOf(mix);
    if (adversaries < 0) {
      throw new IllegalArgumentException("--adversaries must be at least 0, got " + adversaries);
    }
    if (adversaries > 0 && (mix.isEmpty() || mix.stream().noneMatch(Behavior::adversarial))) {
      throw new IllegalArgumentException(
          "--adversaries " + adversaries + " needs --behavior naming at least one of: random, lazy, replay, copycat, "
              + "collude");
    }
  }

  /** Every miner honest, the default gold fraction. */
  public static Population honest() {
    return new Population(0, List.of(), TrustConfig.DEFAULT_GOLD_FRACTION);
  }

  /** The behaviour of miner {@code index} of {@code miners}. */
  public Behavior behaviorOf(int index, int miners) {
    if (adversaries > miners) {
      throw new IllegalArgumentException(
          "--adversaries " + adversaries + " is more than --miners " + miners);
    }
    long before = (long) index * adversaries / miners;
    long after = (long) (index + 1) * adversaries / miners;
    if (before == after) {
      return Behavior.HONEST;
    }
    List<Behavior> adversarial = mix.stream().filter(Behavior::adversarial).toList();
    return adversarial.get((int) (before % adversarial.size()));
  }
}
