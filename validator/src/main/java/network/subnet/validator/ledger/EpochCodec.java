package network.subnet.validator.ledger;

import java.util.ArrayList;
import java.util.List;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;

/** Column EPOCHS: key is the epoch number (8 bytes, big-endian, so scans run in epoch order). */
final class EpochCodec {

  private EpochCodec() {}

  static byte[] key(long epoch) {
    return new RecordWriter(8).i64(epoch).toBytes();
  }

  static byte[] value(EpochRecord r) {
    RecordWriter out = new RecordWriter(128 + r.entries().size() * 40).u8(1);
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
    if (version != 1) {
      throw new IllegalStateException("epoch record version " + version + " is unknown");
    }
    long start = in.i64();
    long end = in.i64();
    int n = in.i32();
    List<MerkleTree.Entry> entries = new ArrayList<>(Math.max(0, n));
    for (int i = 0; i < n; i++) {
      entries.add(new MerkleTree.Entry(new PublicKey(in.raw(PublicKey.LENGTH)), in.i64()));
    }
    EpochRecord record =
        new EpochRecord(epoch, start, end, entries, in.bytes(), in.bytes(), new PublicKey(in.raw(PublicKey.LENGTH)));
    in.end();
    return record;
  }
}
