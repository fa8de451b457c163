package network.subnet.validator.verify;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.identity.PublicKey;

/**
 * Caps on registrations: one key may register at most {@code perKeyPerMinute} times a minute (each registration is a
 * durable write), and one operator at most {@code keysPerOperator} distinct keys (0: no cap). A key that registers
 * from another operator moves there.
 */
public final class RegistrationLimits {

  public static final int DEFAULT_PER_KEY_PER_MINUTE = 30;

  private final int keysPerOperator;
  private final int perKeyPerMinute;
  private final LongSupplier clockMs;
  private final Map<String, Set<PublicKey>> keysOf = new HashMap<>();
  private final Map<PublicKey, String> operatorOf = new HashMap<>();
  private final Map<PublicKey, ArrayDeque<Long>> recent = new HashMap<>();

  public RegistrationLimits(int keysPerOperator, int perKeyPerMinute, LongSupplier clockMs) {
    this.keysPerOperator = keysPerOperator;
    this.perKeyPerMinute = perKeyPerMinute;
    this.clockMs = clockMs;
  }

  /** Admits a registration of {@code key} from {@code operator} (null: none known) or throws RESOURCE_EXHAUSTED. */
  public synchronized void admit(PublicKey key, String operator) {
    long now = clockMs.getAsLong();
    ArrayDeque<Long> times = recent.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= now - 60_000) {
      times.pollFirst();
    }
    if (times.size() >= perKeyPerMinute) {
      throw new ApiException(ApiException.Code.RESOURCE_EXHAUSTED, "miner " + key + " registered " + times.size()
          + " times in the last minute; at most " + perKeyPerMinute + " are allowed");
    }
    if (operator != null && keysPerOperator > 0) {
      Set<PublicKey> keys = keysOf.computeIfAbsent(operator, o -> new LinkedHashSet<>());
      if (!keys.contains(key) && keys.size() >= keysPerOperator) {
        throw new ApiException(ApiException.Code.RESOURCE_EXHAUSTED, "operator " + operator + " already registered "
            + keys.size() + " miner keys; at most " + keysPerOperator + " are allowed per operator");
      }
    }
    times.addLast(now);
    String previous = operatorOf.remove(key);
    if (previous != null) {
      keysOf.getOrDefault(previous, new LinkedHashSet<>()).remove(key);
    }
    if (operator != null) {
      keysOf.computeIfAbsent(operator, o -> new LinkedHashSet<>()).add(key);
      operatorOf.put(key, operator);
    }
  }
}
