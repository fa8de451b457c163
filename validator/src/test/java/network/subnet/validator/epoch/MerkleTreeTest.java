package network.subnet.validator.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  private static final long EPOCH = 7;

  private static List<MerkleTree.Entry> entries(int n) {
    List<MerkleTree.Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new MerkleTree.Entry(LocalSigner.generate().publicKey(), 100 + i));
    }
    return out;
  }

  @Test
  void everyEntryProvesItsPlaceForAnyTreeSize() {
    for (int n = 1; n <= 9; n++) {
      List<MerkleTree.Entry> entries = entries(n);
      MerkleTree tree = MerkleTree.of(EPOCH, entries);
      for (MerkleTree.Entry e : entries) {
        MerkleProof proof = tree.proof(e.miner());
        RewardLeaf leaf = tree.leaf(e);
        assertThat(MerkleTree.verify(tree.root(), leaf, proof)).as("n=%d", n).isTrue();
        assertThat(MerkleTree.verify(tree.root(), withCredits(leaf, e.credits() + 1), proof)).isFalse();
      }
    }
  }

  @Test
  void rootDoesNotDependOnInputOrderButOnEveryEntry() {
    List<MerkleTree.Entry> entries = entries(5);
    byte[] root = MerkleTree.of(EPOCH, entries).root();
    List<MerkleTree.Entry> shuffled = new ArrayList<>(entries);
    Collections.reverse(shuffled);
    assertThat(MerkleTree.of(EPOCH, shuffled).root()).isEqualTo(root);
    shuffled.set(2, new MerkleTree.Entry(shuffled.get(2).miner(), 1));
    assertThat(MerkleTree.of(EPOCH, shuffled).root()).isNotEqualTo(root);
    assertThat(MerkleTree.of(EPOCH, entries.subList(0, 4)).root()).isNotEqualTo(root);
  }

  @Test
  void aProofForAnotherRootOrMinerFails() {
    List<MerkleTree.Entry> entries = entries(4);
    MerkleTree tree = MerkleTree.of(EPOCH, entries);
    MerkleTree.Entry e = entries.get(0);
    MerkleProof proof = tree.proof(e.miner());
    RewardLeaf leaf = tree.leaf(e);
    assertThat(MerkleTree.verify(MerkleTree.of(EPOCH, entries(4)).root(), leaf, proof)).isFalse();
    RewardLeaf other = new RewardLeaf(RewardLeaf.CURRENT, EPOCH, entries.get(1).miner(), e.credits(),
        leaf.epochCredits());
    assertThat(MerkleTree.verify(tree.root(), other, proof)).isFalse();
    PublicKey stranger = LocalSigner.generate().publicKey();
    assertThatThrownBy(() -> tree.proof(stranger)).hasMessageContaining("no entry");
  }

  @Test
  void duplicateMinersAreRefused() {
    MerkleTree.Entry e = entries(1).get(0);
    assertThatThrownBy(() -> MerkleTree.of(EPOCH, List.of(e, e))).hasMessageContaining("twice");
  }

  @Test
  void emptyTreeHasAFixedRoot() {
    assertThat(MerkleTree.of(EPOCH, List.of()).root()).hasSize(32).isEqualTo(MerkleTree.of(1, List.of()).root());
  }

  @Test
  void leavesCommitToTheEpochAndItsTotalSoTheShareIsFixed() {
    List<MerkleTree.Entry> entries = entries(3);
    MerkleTree tree = MerkleTree.of(EPOCH, entries);
    MerkleTree.Entry e = entries.get(1);
    RewardLeaf leaf = tree.leaf(e);
    assertThat(leaf.epochCredits()).isEqualTo(100 + 101 + 102);
    assertThat(leaf.share()).isEqualTo(101.0 / 303);
    assertThat(MerkleTree.of(EPOCH + 1, entries).root()).isNotEqualTo(tree.root());
    RewardLeaf biggerShare = new RewardLeaf(RewardLeaf.CURRENT, EPOCH, e.miner(), e.credits(), 200);
    assertThat(MerkleTree.verify(tree.root(), biggerShare, tree.proof(e.miner()))).isFalse();
    RewardLeaf otherEpoch = new RewardLeaf(RewardLeaf.CURRENT, EPOCH + 1, e.miner(), e.credits(), 303);
    assertThat(MerkleTree.verify(tree.root(), otherEpoch, tree.proof(e.miner()))).isFalse();
  }

  @Test
  void legacyLeavesStayVerifiableAndNeverPassForCurrentOnes() {
    List<MerkleTree.Entry> entries = entries(3);
    MerkleTree legacy = MerkleTree.of(RewardLeaf.V1, EPOCH, entries);
    MerkleTree current = MerkleTree.of(RewardLeaf.V2, EPOCH, entries);
    assertThat(legacy.root()).isNotEqualTo(current.root());
    MerkleTree.Entry e = entries.get(2);
    assertThat(MerkleTree.verify(legacy.root(), legacy.leaf(e), legacy.proof(e.miner()))).isTrue();
    assertThat(MerkleTree.verify(legacy.root(), current.leaf(e), legacy.proof(e.miner()))).isFalse();
  }

  private static RewardLeaf withCredits(RewardLeaf leaf, long credits) {
    return new RewardLeaf(leaf.version(), leaf.epoch(), leaf.miner(), credits, leaf.epochCredits() + 1);
  }
}
