package network.subnet.validator.ledger;

/**
 * How far the import has read one dataset file (column DATASET_POSITIONS, key: the file's path): the documents before
 * {@code nextDocument} are done. A file whose size is no longer {@code fileSize} was rewritten, and the position no
 * longer applies to it.
 */
public record DatasetPosition(String source, long fileSize, long nextDocument) {

  public DatasetPosition {
    if (nextDocument < 0) {
      throw new IllegalArgumentException("position must be >= 0, got " + nextDocument);
    }
  }

  static byte[] key(String source) {
    return new RecordWriter().string(source).toBytes();
  }

  byte[] value() {
    return new RecordWriter(17).u8(1).i64(fileSize).i64(nextDocument).toBytes();
  }

  static DatasetPosition decode(String source, byte[] value) {
    RecordReader in = new RecordReader(value, "dataset position of " + source);
    int version = in.u8();
    if (version != 1) {
      throw new IllegalStateException("dataset position record version " + version + " is unknown");
    }
    DatasetPosition p = new DatasetPosition(source, in.i64(), in.i64());
    in.end();
    return p;
  }
}
