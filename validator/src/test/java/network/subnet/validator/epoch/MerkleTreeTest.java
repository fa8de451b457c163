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
      MerkleTree tree = MerkleTree.of(entries);
      for (MerkleTree.Entry e : entries) {
        MerkleProof proof = tree.proof(e.miner());
        assertThat(MerkleTree.verify(tree.root(), e.miner(), e.credits(), proof)).as("n=%d", n).isTrue();
        assertThat(MerkleTree.verify(tree.root(), e.miner(), e.credits() + 1, proof)).isFalse();
      }
    }
  }

  @Test
  void rootDoesNotDependOnInputOrderButOnEveryEntry() {
    List<MerkleTree.Entry> entries = entries(5);
    byte[] root = MerkleTree.of(entries).root();
    List<MerkleTree.Entry> shuffled = new ArrayList<>(entries);
    Collections.reverse(shuffled);
    assertThat(MerkleTree.of(shuffled).root()).isEqualTo(root);
    shuffled.set(2, new MerkleTree.Entry(shuffled.get(2).miner(), 1));
    assertThat(MerkleTree.of(shuffled).root()).isNotEqualTo(root);
    assertThat(MerkleTree.of(entries.subList(0, 4)).root()).isNotEqualTo(root);
  }

  @Test
  void aProofForAnotherRootOrMinerFails() {
    List<MerkleTree.Entry> entries = entries(4);
    MerkleTree tree = MerkleTree.of(entries);
    MerkleTree.Entry e = entries.get(0);
    MerkleProof proof = tree.proof(e.miner());
    assertThat(MerkleTree.verify(MerkleTree.of(entries(4)).root(), e.miner(), e.credits(), proof)).isFalse();
    assertThat(MerkleTree.verify(tree.root(), entries.get(1).miner(), e.credits(), proof)).isFalse();
    PublicKey stranger = LocalSigner.generate().publicKey();
    assertThatThrownBy(() -> tree.proof(stranger)).hasMessageContaining("no entry");
  }

  @Test
  void duplicateMinersAreRefused() {
    MerkleTree.Entry e = entries(1).get(0);
    assertThatThrownBy(() -> MerkleTree.of(List.of(e, e))).hasMessageContaining("twice");
  }

  @Test
  void emptyTreeHasAFixedRoot() {
    assertThat(MerkleTree.of(List.of()).root()).hasSize(32).isEqualTo(MerkleTree.of(List.of()).root());
  }
}
