package network.subnet.node.storage;

/**
 * Every column family of the ledger, with a fixed one-byte id. Ids are never reused: a retired column keeps its
 * id reserved here (commented out) so that an old database can never be misread.
 */
public enum Column {
  METADATA((byte) 0),
  MINERS((byte) 1),
  TASKS((byte) 2),
  LEASES((byte) 3),
  RESULTS((byte) 4),
  CREDITS((byte) 5),
  EPOCHS((byte) 6),
  TOTALS((byte) 7),
  // Trust and verdict evidence take ids from 20 up, leaving 8..19 free for other additions.
  /** Per-miner trust: consecutive verified results, totals, last fault. */
  TRUST((byte) 20),
  /** Verdicts with their evidence, keyed by (epoch, miner, sequence, task). */
  VERDICTS((byte) 21),
  /** Credits paid on a single replica, not yet cross-checked, keyed by (miner, task). */
  UNVERIFIED((byte) 22),
  /** Credits held back after their miner failed a check, until their task is re-checked. */
  HELD((byte) 23),
  /** Miners that forfeited an epoch by a proven fault, keyed by (epoch, miner). */
  FAULTS((byte) 24);

  private final byte id;

  Column(byte id) {
    this.id = id;
  }

  public byte id() {
    return id;
  }

  /** The RocksDB column family name: stable, derived from the id rather than the enum name. */
  public byte[] familyName() {
    return new byte[] {'c', id};
  }
}
