package network.subnet.validator.ledger;

import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.PublicKey;

/** A registered miner and the teacher it reported (column MINERS, key: miner key). */
public record MinerRecord(PublicKey miner, TeacherSpec teacher, String agent, long registeredAtMs) {

  byte[] key() {
    return miner.bytes();
  }

  byte[] value() {
    return new RecordWriter()
        .u8(1)
        .string(teacher.modelHash())
        .string(teacher.tokenizerHash())
        .string(teacher.dtype())
        .string(teacher.device())
        .string(teacher.batchPolicy())
        .string(agent)
        .i64(registeredAtMs)
        .toBytes();
  }

  static MinerRecord decode(byte[] key, byte[] value) {
    PublicKey miner = new PublicKey(key);
    RecordReader in = new RecordReader(value, "miner " + miner);
    int version = in.u8();
    if (version != 1) {
      throw new IllegalStateException("miner record version " + version + " is unknown");
    }
    TeacherSpec teacher = new TeacherSpec(in.string(), in.string(), in.string(), in.string(), in.string());
    MinerRecord record = new MinerRecord(miner, teacher, in.string(), in.i64());
    in.end();
    return record;
  }
}
