package network.subnet.node.storage;

/**
 * What one column takes up, as its store estimates it: RocksDB's {@code rocksdb.estimate-live-data-size} and
 * {@code rocksdb.total-sst-files-size} (on disk), {@code rocksdb.cur-size-all-mem-tables} (written, not yet flushed)
 * and {@code rocksdb.estimate-num-keys}; an in-memory store counts exactly and has no files.
 */
public record ColumnSize(
    Column column, long liveDataBytes, long sstFilesBytes, long memtableBytes, long estimatedKeys) {}
