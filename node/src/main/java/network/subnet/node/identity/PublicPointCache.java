package network.subnet.node.identity;

import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;

/**
 * Decoded Ed25519 public points by key. Decoding a point takes a field square root, a noticeable share of a verify, and
 * a validator checks many signatures of few keys, so each key is decoded once. Bounded: when {@code capacity} keys are
 * held the cache starts over, so a flood of fresh keys costs memory no more than it costs time.
 */
final class PublicPointCache {

  private final ConcurrentHashMap<PublicKey, PublicPoint> points = new ConcurrentHashMap<>();
  private final int capacity;

  PublicPointCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("point cache capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** The decoded point of {@code key}, or null when the key is not a valid Ed25519 point (never cached). */
  PublicPoint point(PublicKey key) {
    PublicPoint point = points.get(key);
    if (point != null) {
      return point;
    }
    // The same check Bouncy Castle's Ed25519PublicKeyParameters applies: on the curve, canonical encoding.
    point = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(key.bytes(), 0);
    if (point != null) {
      if (points.size() >= capacity) {
        points.clear();
      }
      points.put(key, point);
    }
    return point;
  }

  int size() {
    return points.size();
  }
}
