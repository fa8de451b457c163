package network.subnet.validator.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.KeyValueStorage;

/**
 * Miner keys the operator has banned. Kept in the ledger's metadata column under {@code ban/<key>}
 * (value: when, in ms) so a ban survives restarts, and mirrored in memory because every miner call
 * checks it.
 */
public final class BanList {

  private static final byte[] PREFIX = "ban/".getBytes(StandardCharsets.US_ASCII);

  private final KeyValueStorage storage;
  private final Set<PublicKey> banned = ConcurrentHashMap.newKeySet();

  public BanList(KeyValueStorage storage) {
    this.storage = storage;
    storage.scan(
        Column.METADATA,
        PREFIX,
        (key, value) -> banned.add(new PublicKey(Arrays.copyOfRange(key, PREFIX.length, key.length))));
  }

  public boolean isBanned(PublicKey miner) {
    return banned.contains(miner);
  }

  /** Bans {@code miner}; false if it already was. */
  public synchronized boolean ban(PublicKey miner, long nowMs) {
    if (banned.contains(miner)) {
      return false;
    }
    try (KeyValueStorage.WriteBatch batch = storage.batch()) {
      batch.put(Column.METADATA, key(miner), ByteBuffer.allocate(Long.BYTES).putLong(nowMs).array());
      batch.commit();
    }
    banned.add(miner);
    return true;
  }

  /** Lifts the ban on {@code miner}; false if there was none. */
  public synchronized boolean unban(PublicKey miner) {
    if (!banned.contains(miner)) {
      return false;
    }
    try (KeyValueStorage.WriteBatch batch = storage.batch()) {
      batch.delete(Column.METADATA, key(miner));
      batch.commit();
    }
    banned.remove(miner);
    return true;
  }

  /** Every banned key, in hex order. */
  public List<PublicKey> list() {
    return banned.stream().sorted((a, b) -> a.hex().compareTo(b.hex())).toList();
  }

  private static byte[] key(PublicKey miner) {
    byte[] k = miner.bytes();
    return ByteBuffer.allocate(PREFIX.length + k.length).put(PREFIX).put(k).array();
  }
}
