package network.subnet.validator.ledger;

/**
 * Where a distill task came from (column TASK_ORIGINS, key: task id): the document's id and the index of the window
 * the task covers. A window shared by two documents (the same tokens) keeps the first document that produced it.
 */
public record TaskOrigin(String documentId, int window) {

  byte[] value() {
    return new RecordWriter(16 + documentId.length()).u8(1).string(documentId).i32(window).toBytes();
  }

  static TaskOrigin decode(String taskId, byte[] value) {
    RecordReader in = new RecordReader(value, "origin of task " + taskId);
    int version = in.u8();
    if (version != 1) {
      throw new IllegalStateException("task origin record version " + version + " is unknown");
    }
    TaskOrigin origin = new TaskOrigin(in.string(), in.i32());
    in.end();
    return origin;
  }
}
