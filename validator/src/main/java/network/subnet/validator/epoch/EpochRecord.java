package network.subnet.validator.epoch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.Signer;

/**
 * A closed epoch: each miner's credits, the Merkle root over them and the validator's signature over
 * {@link #digest}. A miner's share is its credits over the epoch's total. {@code leafVersion} says how the tree's
 * leaves were hashed ({@link RewardLeaf}); epochs closed now use {@link RewardLeaf#CURRENT}.
 */
public record EpochRecord(
    long epoch,
    long startMs,
    long endMs,
    List<MerkleTree.Entry> entries,
    byte[] merkleRoot,
    byte[] signature,
    PublicKey validator,
    int leafVersion) {

  private static final byte[] DOMAIN = "subnet/epoch/v1".getBytes(StandardCharsets.UTF_8);

  public EpochRecord {
    entries = List.copyOf(entries);
  }

  /** A record whose tree uses the current leaves. */
  public EpochRecord(
      long epoch,
      long startMs,
      long endMs,
      List<MerkleTree.Entry> entries,
      byte[] merkleRoot,
      byte[] signature,
      PublicKey validator) {
    this(epoch, startMs, endMs, entries, merkleRoot, signature, validator, RewardLeaf.CURRENT);
  }

  /** Builds and signs the record of an epoch from its per-miner credits. */
  public static EpochRecord close(long epoch, long startMs, long endMs, List<MerkleTree.Entry> credits, Signer signer) {
    MerkleTree tree = MerkleTree.of(epoch, credits);
    byte[] root = tree.root();
    byte[] signature = signer.sign(digest(epoch, startMs, endMs, root));
    return new EpochRecord(epoch, startMs, endMs, tree.entries(), root, signature, signer.publicKey());
  }

  /** What the validator signs: SHA-256 over a domain tag, the epoch number, its bounds and the Merkle root. */
  public static byte[] digest(long epoch, long startMs, long endMs, byte[] merkleRoot) {
    MessageDigest sha = Sha256.digest();
    sha.update(DOMAIN);
    sha.update(ByteBuffer.allocate(24).putLong(epoch).putLong(startMs).putLong(endMs).array());
    sha.update(merkleRoot);
    return sha.digest();
  }

  /** True when the signature is the validator's over this record's digest and the root matches the entries. */
  public boolean verify() {
    return MessageDigest.isEqual(tree().root(), merkleRoot)
        && validator.verify(digest(epoch, startMs, endMs, merkleRoot), signature);
  }

  public long totalCredits() {
    long total = 0;
    for (MerkleTree.Entry e : entries) {
      total += e.credits();
    }
    return total;
  }

  public Optional<MerkleTree.Entry> entry(PublicKey miner) {
    return entries.stream().filter(e -> e.miner().equals(miner)).findFirst();
  }

  public double share(MerkleTree.Entry entry) {
    long total = totalCredits();
    return total == 0 ? 0.0 : (double) entry.credits() / total;
  }

  public MerkleProof proof(PublicKey miner) {
    return tree().proof(miner);
  }

  /** {@code miner}'s leaf with its path to the root and the signed root; throws if the miner has no entry. */
  public RewardProof rewardProof(PublicKey miner) {
    MerkleTree tree = tree();
    MerkleTree.Entry entry = entry(miner)
        .orElseThrow(() -> new IllegalArgumentException("miner " + miner + " earned nothing in epoch " + epoch));
    RewardLeaf leaf = tree.leaf(entry);
    return new RewardProof(startMs, endMs, leaf, leaf.share(), tree.proof(miner), merkleRoot, signature, validator);
  }

  private MerkleTree tree() {
    return MerkleTree.of(leafVersion, epoch, entries);
  }
}
