package network.subnet.validator.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import org.junit.jupiter.api.Test;

class RewardProofTest {

  private final LocalSigner validator = LocalSigner.generate();
  private final List<LocalSigner> miners = new ArrayList<>();
  private final EpochRecord epoch;

  RewardProofTest() {
    List<MerkleTree.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      LocalSigner m = LocalSigner.generate();
      miners.add(m);
      entries.add(new MerkleTree.Entry(m.publicKey(), 10L * (i + 1)));
    }
    epoch = EpochRecord.close(4, 1_000, 2_000, entries, validator);
  }

  private PublicKey miner(int i) {
    return miners.get(i).publicKey();
  }

  private RewardProof honest(int i) {
    return epoch.rewardProof(miner(i));
  }

  @Test
  void everyHonestEntryVerifies() {
    for (int i = 0; i < miners.size(); i++) {
      RewardProof p = honest(i);
      assertThat(p.check(miner(i), validator.publicKey())).isEqualTo(new RewardProof.Check(true, "verified"));
      assertThat(p.check(miner(i), null).ok()).as("trust on first use").isTrue();
      assertThat(p.leaf().epoch()).isEqualTo(4);
      assertThat(p.leaf().epochCredits()).isEqualTo(150);
      assertThat(p.share()).isEqualTo((10.0 * (i + 1)) / 150);
    }
  }

  @Test
  void aTamperedProofNodeFails() {
    RewardProof p = honest(2);
    List<MerkleProof.Step> steps = new ArrayList<>(p.path().steps());
    byte[] sibling = steps.get(0).sibling().clone();
    sibling[5] ^= 1;
    steps.set(0, new MerkleProof.Step(sibling, steps.get(0).siblingOnLeft()));
    RewardProof tampered = new RewardProof(p.startMs(), p.endMs(), p.leaf(), p.share(), new MerkleProof(steps),
        p.merkleRoot(), p.signature(), p.validator());
    assertThat(tampered.check(miner(2), validator.publicKey()).reason()).contains("does not lead");

    List<MerkleProof.Step> flipped = new ArrayList<>(p.path().steps());
    flipped.set(0, new MerkleProof.Step(flipped.get(0).sibling(), !flipped.get(0).siblingOnLeft()));
    assertThat(new RewardProof(p.startMs(), p.endMs(), p.leaf(), p.share(), new MerkleProof(flipped), p.merkleRoot(),
        p.signature(), p.validator()).check(miner(2), validator.publicKey()).ok()).isFalse();

    List<MerkleProof.Step> shortStep = List.of(new MerkleProof.Step(new byte[3], true));
    assertThat(new RewardProof(p.startMs(), p.endMs(), p.leaf(), p.share(), new MerkleProof(shortStep),
        p.merkleRoot(), p.signature(), p.validator()).check(miner(2), null).reason()).contains("malformed");
  }

  @Test
  void aTamperedRootFailsEvenWithAPathThatLeadsToIt() {
    RewardProof p = honest(1);
    byte[] root = p.merkleRoot().clone();
    root[0] ^= 1;
    assertThat(new RewardProof(p.startMs(), p.endMs(), p.leaf(), p.share(), p.path(), root, p.signature(),
        p.validator()).check(miner(1), validator.publicKey()).reason()).contains("does not lead");

    // A validator that inflates one entry and rebuilds the tree gets a consistent path, but not a signature.
    RewardLeaf inflated = new RewardLeaf(RewardLeaf.CURRENT, 4, miner(1), 100, 230);
    RewardProof rebuilt = new RewardProof(p.startMs(), p.endMs(), inflated, inflated.share(), p.path(),
        MerkleTree.rootOf(inflated, p.path()), p.signature(), p.validator());
    assertThat(rebuilt.check(miner(1), validator.publicKey()).reason()).contains("signature");
  }

  @Test
  void aTamperedShareOrCreditFails() {
    RewardProof p = honest(0);
    RewardProof share = new RewardProof(p.startMs(), p.endMs(), p.leaf(), 0.5, p.path(), p.merkleRoot(),
        p.signature(), p.validator());
    assertThat(share.check(miner(0), validator.publicKey()).reason()).contains("claimed share 0.5");

    RewardLeaf bigger = new RewardLeaf(RewardLeaf.CURRENT, 4, miner(0), 10, 20);
    RewardProof total = new RewardProof(p.startMs(), p.endMs(), bigger, bigger.share(), p.path(), p.merkleRoot(),
        p.signature(), p.validator());
    assertThat(total.check(miner(0), validator.publicKey()).reason()).contains("does not lead");

    RewardProof bounds = new RewardProof(p.startMs(), p.endMs() + 1, p.leaf(), p.share(), p.path(), p.merkleRoot(),
        p.signature(), p.validator());
    assertThat(bounds.check(miner(0), validator.publicKey()).reason()).contains("signature");
  }

  @Test
  void aWrongValidatorKeyOrSignatureFails() {
    RewardProof p = honest(3);
    PublicKey other = LocalSigner.generate().publicKey();
    assertThat(p.check(miner(3), other).reason()).contains("not by the expected validator " + other);

    // An impostor re-signs the same root with its own key: fine under its own key, refused under the pinned one.
    LocalSigner impostor = LocalSigner.generate();
    byte[] forged = impostor.sign(EpochRecord.digest(4, p.startMs(), p.endMs(), p.merkleRoot()));
    RewardProof resigned = new RewardProof(p.startMs(), p.endMs(), p.leaf(), p.share(), p.path(), p.merkleRoot(),
        forged, impostor.publicKey());
    assertThat(resigned.check(miner(3), validator.publicKey()).ok()).isFalse();

    byte[] bad = p.signature().clone();
    bad[10] ^= 1;
    assertThat(new RewardProof(p.startMs(), p.endMs(), p.leaf(), p.share(), p.path(), p.merkleRoot(), bad,
        p.validator()).check(miner(3), validator.publicKey()).reason()).contains("signature");
  }

  @Test
  void anotherMinersEntryIsNotMine() {
    assertThat(honest(0).check(miner(1), validator.publicKey()).reason()).contains("not " + miner(1));
  }
}
