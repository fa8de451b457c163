package network.subnet.validator.ledger;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.PublicKey;

/**
 * A registered miner, the teacher it reported (blank for a compress-only miner), the task kinds it takes and the codecs
 * it named (column MINERS, key: miner key).
 *
 * <p>Value layout 1 (teacher, agent, time) is read as a distill-only miner; layout 2 adds kinds and codecs.
 */
public record MinerRecord(
    PublicKey miner, TeacherSpec teacher, String agent, long registeredAtMs, Set<TaskKind> kinds, List<String> codecs) {

  public MinerRecord {
    kinds = kinds.isEmpty() ? Set.of(TaskKind.DISTILL) : Set.copyOf(kinds);
    codecs = List.copyOf(codecs);
  }

  /** A distill-only miner. */
  public MinerRecord(PublicKey miner, TeacherSpec teacher, String agent, long registeredAtMs) {
    this(miner, teacher, agent, registeredAtMs, Set.of(TaskKind.DISTILL), List.of());
  }

  byte[] key() {
    return miner.bytes();
  }

  byte[] value() {
    RecordWriter w = new RecordWriter()
        .u8(2)
        .string(teacher.modelHash())
        .string(teacher.tokenizerHash())
        .string(teacher.dtype())
        .string(teacher.device())
        .string(teacher.batchPolicy())
        .string(agent)
        .i64(registeredAtMs);
    int kindBits = 0;
    for (TaskKind k : kinds) {
      kindBits |= 1 << k.ordinal();
    }
    w.u8(kindBits).i32(codecs.size());
    for (String c : codecs) {
      w.string(c);
    }
    return w.toBytes();
  }

  static MinerRecord decode(byte[] key, byte[] value) {
    PublicKey miner = new PublicKey(key);
    RecordReader in = new RecordReader(value, "miner " + miner);
    int version = in.u8();
    if (version != 1 && version != 2) {
      throw new IllegalStateException("miner record version " + version + " is unknown");
    }
    TeacherSpec teacher = new TeacherSpec(in.string(), in.string(), in.string(), in.string(), in.string());
    String agent = in.string();
    long registeredAt = in.i64();
    Set<TaskKind> kinds = EnumSet.of(TaskKind.DISTILL);
    List<String> codecs = new ArrayList<>();
    if (version == 2) {
      int bits = in.u8();
      kinds = EnumSet.noneOf(TaskKind.class);
      for (TaskKind k : TaskKind.values()) {
        if ((bits & (1 << k.ordinal())) != 0) {
          kinds.add(k);
        }
      }
      int n = in.i32();
      for (int i = 0; i < n; i++) {
        codecs.add(in.string());
      }
    }
    in.end();
    return new MinerRecord(miner, teacher, agent, registeredAt, kinds, codecs);
  }
}
