package network.subnet.validator.ledger;

import java.util.ArrayList;
import java.util.List;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.epoch.RewardLeaf;

/**
 * Column EPOCHS: key is the epoch number (8 bytes, big-endian, so scans run in epoch order). The value's first byte is
 * its layout, which also fixes the Merkle leaves: layout 1 epochs were closed with {@link RewardLeaf#V1} leaves,
 * layout 2 with {@link RewardLeaf#V2}.
 */
final class EpochCodec {

  private EpochCodec() {}

  static byte[] key(long epoch) {
    return new RecordWriter(8).i64(epoch).toBytes();
  }

  static byte[] value(EpochRecord r) {
    RecordWriter out = new RecordWriter(128 + r.entries().size() * 40).u8(r.leafVersion());
    out.i64(r.startMs()).i64(r.endMs()).i32(r.entries().size());
    for (MerkleTree.Entry e : r.entries()) {
      out.raw(e.miner().bytes()).i64(e.credits());
    }
    return out.bytes(r.merkleRoot()).bytes(r.signature()).raw(r.validator().bytes()).toBytes();
  }

  static EpochRecord decode(byte[] key, byte[] value) {
    long epoch = new RecordReader(key, "epoch key").i64();
    RecordReader in = new RecordReader(value, "epoch " + epoch);
    int version = in.u8();
    if (version != RewardLeaf.V1 && version != RewardLeaf.V2) {
      throw new IllegalStateException("epoch record version " + version + " is unknown");
    }
    long start = in.i64();
    long end = in.i64();
    int n = in.i32();
    List<MerkleTree.Entry> entries = new ArrayList<>(Math.max(0, n));
    for (int i = 0; i < n; i++) {
      entries.add(new MerkleTree.Entry(new PublicKey(in.raw(PublicKey.LENGTH)), in.i64()));
    }
    byte[] root = in.bytes();
    byte[] signature = in.bytes();
    EpochRecord record =
        new EpochRecord(epoch, start, end, entries, root, signature, new PublicKey(in.raw(PublicKey.LENGTH)), version);
    in.end();
    return record;
  }
}
