package network.subnet.validator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import network.subnet.node.identity.LocalSigner;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.epoch.RewardLeaf;
import org.junit.jupiter.api.Test;

/** Epochs closed before leaves named their epoch and total stay verifiable; new epochs round-trip with theirs. */
class EpochLayoutTest {

  private final LocalSigner validator = LocalSigner.generate();
  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();
  private final List<MerkleTree.Entry> entries =
      List.of(new MerkleTree.Entry(a.publicKey(), 5), new MerkleTree.Entry(b.publicKey(), 15));

  @Test
  void aLayoutOneEpochReadsWithLegacyLeavesAndStillVerifies() {
    MerkleTree tree = MerkleTree.of(RewardLeaf.V1, 3, entries);
    byte[] root = tree.root();
    byte[] signature = validator.sign(EpochRecord.digest(3, 100, 200, root));
    RecordWriter w = new RecordWriter().u8(1).i64(100).i64(200).i32(2);
    for (MerkleTree.Entry e : tree.entries()) {
      w.raw(e.miner().bytes()).i64(e.credits());
    }
    byte[] v1 = w.bytes(root).bytes(signature).raw(validator.publicKey().bytes()).toBytes();

    EpochRecord old = EpochCodec.decode(EpochCodec.key(3), v1);
    assertThat(old.leafVersion()).isEqualTo(RewardLeaf.V1);
    assertThat(old.verify()).isTrue();
    assertThat(old.rewardProof(b.publicKey()).check(b.publicKey(), validator.publicKey()).ok()).isTrue();
    assertThat(EpochCodec.value(old)).isEqualTo(v1);
  }

  @Test
  void aNewEpochUsesLayoutTwoAndRoundTrips() {
    EpochRecord record = EpochRecord.close(4, 100, 200, entries, validator);
    byte[] value = EpochCodec.value(record);
    assertThat(value[0]).isEqualTo((byte) 2);
    EpochRecord back = EpochCodec.decode(EpochCodec.key(4), value);
    assertThat(back.leafVersion()).isEqualTo(RewardLeaf.V2);
    assertThat(back.verify()).isTrue();
    assertThat(back.merkleRoot()).isEqualTo(record.merkleRoot());
    assertThat(back.rewardProof(a.publicKey()).leaf().share()).isEqualTo(0.25);
  }
}
