package network.subnet.node.storage;

/**
 * What one column takes up, as its store estimates it: RocksDB's {@code rocksdb.estimate-live-data-size},
 * {@code rocksdb.total-sst-files-size} and {@code rocksdb.estimate-num-keys}; an in-memory store counts exactly and
 * has no files.
 */
public record ColumnSize(Column column, long liveDataBytes, long sstFilesBytes, long estimatedKeys) {}
