package network.subnet.validator.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.labels.SoftLabels;

/**
 * Groups a task's replicas by agreement and reaches a verdict. Unanimity settles at once; otherwise a group holding
 * a strict majority (more than half, i.e. ceil(n/2) for odd n, at least two replicas) wins and the rest are rejected.
 * Without a majority the task asks for one more replica, up to {@code maxReplicas}, after which it stays undecided.
 */
public final class Consensus {

  /** One replica. */
  public record Replica(PublicKey miner, SoftLabels labels) {}

  /** The verdict on a task. */
  public sealed interface Verdict {}

  /** The {@code agreeing} replicas are credited; {@code rejected} disagreed with them. */
  public record Agreed(Set<PublicKey> agreeing, Set<PublicKey> rejected) implements Verdict {}

  /** No majority yet: the task needs {@code replicas} results in all. */
  public record NeedMore(int replicas) implements Verdict {}

  /** No majority within the replica cap; nobody is credited or blamed. */
  public record Undecided() implements Verdict {}

  private final ReplicaComparator comparator;
  private final int maxReplicas;

  public Consensus(ReplicaComparator comparator, int maxReplicas) {
    this.comparator = comparator;
    this.maxReplicas = maxReplicas;
  }

  /** The bar replicas are held to; a verdict records {@link Tolerances#describe()}. */
  public Tolerances tolerances() {
    return comparator.tolerances();
  }

  public Verdict decide(List<Replica> replicas) {
    return decide(replicas, comparator::agree);
  }

  /** As {@link #decide(List)}, asking {@code agree} (this consensus's comparator, perhaps memoised) for agreement. */
  Verdict decide(List<Replica> replicas, BiPredicate<SoftLabels, SoftLabels> agree) {
    List<List<Replica>> groups = new ArrayList<>();
    for (Replica r : replicas) {
      List<Replica> home = null;
      for (List<Replica> g : groups) {
        if (agree.test(g.get(0).labels(), r.labels())) {
          home = g;
          break;
        }
      }
      if (home == null) {
        home = new ArrayList<>();
        groups.add(home);
      }
      home.add(r);
    }
    int n = replicas.size();
    List<Replica> best = groups.stream().max(Comparator.comparingInt(List::size)).orElse(List.of());
    boolean unanimous = n > 0 && best.size() == n;
    boolean majority = best.size() >= 2 && 2 * best.size() > n;
    if (unanimous || majority) {
      Set<PublicKey> agreeing = best.stream().map(Replica::miner).collect(Collectors.toUnmodifiableSet());
      Set<PublicKey> rejected = replicas.stream()
          .map(Replica::miner)
          .filter(m -> !agreeing.contains(m))
          .collect(Collectors.toUnmodifiableSet());
      return new Agreed(agreeing, rejected);
    }
    return n < maxReplicas ? new NeedMore(n + 1) : new Undecided();
  }
}
