package network.subnet.validator.ledger;

import network.subnet.node.identity.PublicKey;

/**
 * An open lease as the ledger keeps it (column LEASES, key: the lease nonce), so a restarted validator honours the
 * leases it handed out: the task stays with the same miner until the deadline, and the miner's result under the old
 * nonce is accepted. The record goes away with the result it leased (same batch) or once it has expired.
 */
public record LeaseRecord(byte[] nonce, String taskId, PublicKey miner, long deadlineMs) {

  static final int NONCE_LENGTH = 16;

  static byte[] key(byte[] nonce) {
    return nonce.clone();
  }

  byte[] key() {
    return key(nonce);
  }

  byte[] value() {
    return new RecordWriter(48 + taskId.length()).u8(1).string(taskId).raw(miner.bytes()).i64(deadlineMs).toBytes();
  }

  static LeaseRecord decode(byte[] key, byte[] value) {
    RecordReader in = new RecordReader(value, "lease record");
    int layout = in.u8();
    if (layout != 1) {
      throw new IllegalStateException("lease record has unknown layout " + layout);
    }
    String taskId = in.string();
    PublicKey miner = new PublicKey(in.raw(PublicKey.LENGTH));
    long deadline = in.i64();
    in.end();
    return new LeaseRecord(key.clone(), taskId, miner, deadline);
  }
}
