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
