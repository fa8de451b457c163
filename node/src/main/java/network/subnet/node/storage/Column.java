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
  /** Per-miner trust: consecutive verified results, totals, last fault. */
  TRUST((byte) 8),
  /** Verdicts with their evidence, keyed by (epoch, miner, sequence, task). */
  VERDICTS((byte) 9),
  /** Credits paid on a single replica, not yet cross-checked, keyed by (miner, task). */
  UNVERIFIED((byte) 10),
  /** Credits held back after their miner failed a check, until their task is re-checked. */
  HELD((byte) 11),
  /** Miners that forfeited an epoch by a proven fault, keyed by (epoch, miner). */
  FAULTS((byte) 12),
  /** Scored competition entries, keyed by (competition id, arrival seq). */
  COMPETITION_ENTRIES((byte) 16),
  /** The entries that took a competition's lead, keyed by (competition id, arrival seq); values empty. */
  COMPETITION_LEADS((byte) 17),
  /** Each competition entry's submitted bytes, keyed like its entry, so winners' methods can be fetched. */
  COMPETITION_PAYLOADS((byte) 18),
  /** Imported dataset documents by id: which were taken, so a document is never turned into tasks twice. */
  DOCUMENTS((byte) 20),
  /** Per dataset file: how far the import has read it, so a restart resumes instead of rescanning. */
  DATASET_POSITIONS((byte) 21),
  /** Per task: the document and window it was cut from, for dataset export. */
  TASK_ORIGINS((byte) 22);

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
