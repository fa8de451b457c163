package network.subnet.validator.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import network.subnet.node.api.ApiException;
import network.subnet.node.transport.ServerSecurity;
import network.subnet.node.transport.limits.RateLimit;
import network.subnet.node.transport.limits.RateLimiter;
import network.subnet.validator.ValidatorConfig;

/**
 * The validator's configuration as the admin service shows it: every setting by name, and the few
 * that can change while serving (the rate limits). The rest is fixed at start: changing it means a
 * restart with new flags.
 */
public final class RuntimeSettings {

  public static final String RATE_LIMIT_PER_KEY = "rate-limit-per-key";
  public static final String RATE_LIMIT_PER_ADDRESS = "rate-limit-per-address";
  public static final List<String> SETTABLE = List.of(RATE_LIMIT_PER_KEY, RATE_LIMIT_PER_ADDRESS);

  private final ValidatorConfig config;
  private final ServerSecurity security;
  private final int maxInboundMessageSize;
  private final RateLimiter<?> perKey;
  private final RateLimiter<?> perAddress;

  public RuntimeSettings(
      ValidatorConfig config,
      ServerSecurity security,
      int maxInboundMessageSize,
      RateLimiter<?> perKey,
      RateLimiter<?> perAddress) {
    this.config = config;
    this.security = security;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.perKey = perKey;
    this.perAddress = perAddress;
  }

  /** Every setting, by the name of the flag that sets it. */
  public Map<String, String> values() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("port", Integer.toString(config.port()));
    v.put("transport", security.describe());
    v.put("max-message-bytes", Integer.toString(maxInboundMessageSize));
    v.put(RATE_LIMIT_PER_KEY, perKey.limit().describe());
    v.put(RATE_LIMIT_PER_ADDRESS, perAddress.limit().describe());
    v.put("replicas", Integer.toString(config.replicas()));
    v.put("max-replicas", Integer.toString(config.maxReplicas()));
    v.put("lease-seconds", Long.toString(config.leaseDuration().toSeconds()));
    v.put("max-open-leases", Integer.toString(config.maxOpenLeasesPerMiner()));
    v.put("epoch-seconds", Long.toString(config.epochLength().toSeconds()));
    v.put("top-k", Integer.toString(config.topK()));
    v.put("temperature", Float.toString(config.temperature()));
    v.put("max-tokens", Integer.toString(config.maxTokens()));
    v.put("min-top1-agreement", Double.toString(config.minTop1Agreement()));
    v.put("max-logprob-diff", Double.toString(config.maxLogProbDiff()));
    v.put("similarity-floor", Double.toString(config.similarityFloor()));
    v.put("model-hash", config.modelHash());
    return v;
  }

  /** Changes one runtime setting; an unknown name or a bad value is INVALID_ARGUMENT naming it. */
  public void set(String name, String value) {
    RateLimiter<?> target =
        switch (name) {
          case RATE_LIMIT_PER_KEY -> perKey;
          case RATE_LIMIT_PER_ADDRESS -> perAddress;
          default -> {
            boolean known = values().containsKey(name);
            throw ApiException.invalid(
                (known ? "'" + name + "' is fixed at start; restart with a new flag to change it"
                        : "no setting named '" + name + "'")
                    + " (settable while running: "
                    + String.join(", ", SETTABLE)
                    + ")");
          }
        };
    try {
      target.setLimit(RateLimit.parse(value));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(name + ": " + e.getMessage());
    }
  }
}
