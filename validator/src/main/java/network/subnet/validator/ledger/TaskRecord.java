package network.subnet.validator.ledger;

import java.nio.charset.StandardCharsets;
import network.subnet.node.api.DistillSpec;
import network.subnet.validator.tasks.Task;

/** A task as the ledger keeps it (column TASKS, key: task id): how many replicas it needs and where it stands. */
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
    DistillSpec s = task.spec();
    return new RecordWriter(32 + s.tokens().length * 4)
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

  static TaskRecord decode(byte[] key, byte[] value) {
    String id = new String(key, StandardCharsets.UTF_8);
    RecordReader in = new RecordReader(value, "task " + id);
    int version = in.u8();
    if (version != 1) {
      throw new IllegalStateException("task " + id + " has unknown record version " + version);
    }
    DistillSpec spec = new DistillSpec(in.ints(), in.i32(), in.f32(), in.string(), in.string());
    int replicas = in.i32();
    Status status = Status.values()[in.u8()];
    in.end();
    return new TaskRecord(new Task(id, spec), replicas, status);
  }
}
