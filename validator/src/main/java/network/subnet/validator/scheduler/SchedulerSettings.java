package network.subnet.validator.scheduler;

import java.time.Duration;

/**
 * How the scheduler leases: for how long, how many leases one miner may hold at once (which also keeps the pool
 * fair when tasks are scarce), the longest long-poll it honours, and how long closed leases are remembered so late
 * or repeated submissions get a precise answer.
 */
public record SchedulerSettings(
    Duration leaseDuration, int maxOpenLeasesPerMiner, Duration maxWait, Duration retention) {

  public SchedulerSettings {
    if (leaseDuration.isNegative() || leaseDuration.isZero()) {
      throw new IllegalArgumentException("lease duration must be positive, got " + leaseDuration);
    }
    if (maxOpenLeasesPerMiner < 1) {
      throw new IllegalArgumentException("a miner must be allowed at least one open lease");
    }
  }

  public static SchedulerSettings of(Duration leaseDuration) {
    return new SchedulerSettings(leaseDuration, 32, Duration.ofSeconds(30), leaseDuration.multipliedBy(10));
  }
}
