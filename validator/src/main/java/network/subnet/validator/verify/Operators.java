package network.subnet.validator.verify;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Who runs a miner, as far as the validator can tell from where it registers: every address in one IPv4 prefix (/24
 * by default) or IPv6 prefix (/48) is one operator, so two of its keys never hold replicas of the same task. Loopback
 * is exempt by default, so that a devnet on one machine still has independent miners; a prefix length of 0 turns the
 * rule off for that family. An unknown address (in-process miners) names no operator.
 */
public final class Operators {

  private final int prefixV4;
  private final int prefixV6;
  private final boolean exemptLoopback;

  public Operators(int prefixV4, int prefixV6, boolean exemptLoopback) {
    if (prefixV4 < 0 || prefixV4 > 32 || prefixV6 < 0 || prefixV6 > 128) {
      throw new IllegalArgumentException("prefix lengths must be 0..32 (IPv4) and 0..128 (IPv6), got "
          + prefixV4 + " and " + prefixV6);
    }
    this.prefixV4 = prefixV4;
    this.prefixV6 = prefixV6;
    this.exemptLoopback = exemptLoopback;
  }

  /** The operator an address belongs to (its masked prefix, such as {@code 203.0.113.0/24}), or null if none. */
  public String operatorOf(InetAddress address) {
    if (address == null || (exemptLoopback && address.isLoopbackAddress())) {
      return null;
    }
    int bits = address instanceof Inet4Address ? prefixV4 : prefixV6;
    if (bits == 0) {
      return null;
    }
    byte[] raw = address.getAddress();
    for (int i = 0; i < raw.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      raw[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(raw).getHostAddress() + "/" + bits;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("a masked address of valid length is always valid", e);
    }
  }
}
