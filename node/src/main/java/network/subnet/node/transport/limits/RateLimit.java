package network.subnet.node.transport.limits;

/**
 * A token bucket's shape: {@code perSecond} tokens refill continuously, up to {@code burst} held at
 * once. {@link #UNLIMITED} turns limiting off.
 */
public record RateLimit(double perSecond, int burst) {

  public static final RateLimit UNLIMITED = new RateLimit(Double.POSITIVE_INFINITY, Integer.MAX_VALUE);

  public RateLimit {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("a rate limit must be positive, got " + perSecond + "/s");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("a rate limit's burst must be at least 1, got " + burst);
    }
  }

  public boolean unlimited() {
    return Double.isInfinite(perSecond);
  }

  /** "20/s, burst 40" or "unlimited". */
  public String describe() {
    if (unlimited()) {
      return "unlimited";
    }
    String rate = perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    return rate + "/s, burst " + burst;
  }

  /**
   * Parses "RATE" or "RATE/BURST" (e.g. "20" or "20/40"; burst defaults to twice the rate) or
   * "unlimited".
   */
  public static RateLimit parse(String text) {
    String t = text.strip();
    if (t.equalsIgnoreCase("unlimited") || t.equals("0")) {
      return UNLIMITED;
    }
    try {
      int slash = t.indexOf('/');
      double rate = Double.parseDouble(slash < 0 ? t : t.substring(0, slash));
      int burst =
          slash < 0 ? (int) Math.max(1, Math.ceil(rate * 2)) : Integer.parseInt(t.substring(slash + 1));
      return new RateLimit(rate, burst);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "rate limit '" + text + "' is not RATE, RATE/BURST or 'unlimited' (e.g. 20 or 20/40)", e);
    }
  }
}
