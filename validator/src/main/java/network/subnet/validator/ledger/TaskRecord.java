package network.subnet.validator.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.TaskKind;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import network.subnet.validator.tasks.Task;

/**
 * A task as the ledger keeps it (column TASKS, key: task id): how many replicas it needs and where it stands.
 *
 * <p>The value's first byte says its layout: 1 is a distill task (unchanged since the first ledger), 2 a compress task
 * (dtype, shape, tensor bytes, floor, allowed codecs). Both end in replicas and status, and old ledgers stay readable.
 */
public record TaskRecord(Task task, int replicasNeeded, Status status) {

  public enum Status {
    PENDING,
    VERIFIED,
    /** Replicas never reached a majority within the replica cap; nobody is credited. */
    UNDECIDED
  }

  public TaskRecord withReplicas(int replicas) {
    return new TaskRecord(task, replicas, status);
  }

  public TaskRecord withStatus(Status newStatus) {
    return new TaskRecord(task, replicasNeeded, newStatus);
  }

  static byte[] key(String taskId) {
    return taskId.getBytes(StandardCharsets.UTF_8);
  }

  byte[] key() {
    return key(task.id());
  }

  byte[] value() {
    if (task.kind() == TaskKind.COMPRESS) {
      return compressValue();
    }
    DistillSpec s = task.spec();
    int size = 1 + 4 + s.tokens().length * 4 + 4 + 4 + RecordWriter.stringSize(s.modelHash())
        + RecordWriter.stringSize(s.tokenizerHash()) + 4 + 1;
    return new RecordWriter(size)
        .u8(1)
        .ints(s.tokens())
        .i32(s.topK())
        .f32(s.temperature())
        .string(s.modelHash())
        .string(s.tokenizerHash())
        .i32(replicasNeeded)
        .u8(status.ordinal())
        .toBytes();
  }

  private byte[] compressValue() {
    CompressSpec s = task.compress();
    DenseTensor t = s.activations();
    long[] shape = t.shape();
    RecordWriter w = new RecordWriter(64 + t.data().length).u8(2).string(t.dtype().name()).i32(shape.length);
    for (long d : shape) {
      w.i64(d);
    }
    w.bytes(t.data()).i64(Double.doubleToLongBits(s.similarityFloor())).i32(s.allowedCodecs().size());
    for (String codec : s.allowedCodecs()) {
      w.string(codec);
    }
    return w.i32(replicasNeeded).u8(status.ordinal()).toBytes();
  }

  static TaskRecord decode(byte[] key, byte[] value) {
    String id = new String(key, StandardCharsets.UTF_8);
    RecordReader in = new RecordReader(value, "task " + id);
    int version = in.u8();
    Task task = switch (version) {
      case 1 -> new Task(id, new DistillSpec(in.ints(), in.i32(), in.f32(), in.string(), in.string()));
      case 2 -> new Task(id, TaskKind.COMPRESS, null, readCompress(in));
      default -> throw new IllegalStateException("task " + id + " has unknown record version " + version);
    };
    int replicas = in.i32();
    Status status = Status.values()[in.u8()];
    in.end();
    return new TaskRecord(task, replicas, status);
  }

  private static CompressSpec readCompress(RecordReader in) {
    DType dtype = DType.valueOf(in.string());
    long[] shape = new long[in.i32()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = in.i64();
    }
    DenseTensor tensor = new DenseTensor(dtype, shape, in.bytes());
    double floor = Double.longBitsToDouble(in.i64());
    int n = in.i32();
    List<String> codecs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      codecs.add(in.string());
    }
    return new CompressSpec(tensor, floor, codecs);
  }
}
