package network.subnet.validator.ledger;

import network.subnet.node.identity.PublicKey;

/**
 * How far the validator trusts a miner (column TRUST, key: miner key), BOINC style: {@code consecutiveValid} counts
 * results verified in a row (cross-checked by another replica, a gold answer or the validator's reference) and drops
 * to zero at the first failed check.
 */
public record TrustRecord(PublicKey miner, long consecutiveValid, long validTotal, long faultsTotal, long lastFaultMs) {

  public static TrustRecord fresh(PublicKey miner) {
    return new TrustRecord(miner, 0, 0, 0, 0);
  }

  public TrustRecord verified() {
    return new TrustRecord(miner, consecutiveValid + 1, validTotal + 1, faultsTotal, lastFaultMs);
  }

  public TrustRecord failed(long nowMs) {
    return new TrustRecord(miner, 0, validTotal, faultsTotal + 1, nowMs);
  }

  byte[] value() {
    return new RecordWriter(33).u8(1).i64(consecutiveValid).i64(validTotal).i64(faultsTotal).i64(lastFaultMs).toBytes();
  }

  static TrustRecord decode(byte[] key, byte[] value) {
    PublicKey miner = new PublicKey(key);
    RecordReader in = new RecordReader(value, "trust of " + miner);
    int version = in.u8();
    if (version != 1) {
      throw new IllegalStateException("trust record version " + version + " is unknown");
    }
    TrustRecord r = new TrustRecord(miner, in.i64(), in.i64(), in.i64(), in.i64());
    in.end();
    return r;
  }
}
