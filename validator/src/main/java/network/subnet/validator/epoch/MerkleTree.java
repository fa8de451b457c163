package network.subnet.validator.epoch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import network.subnet.node.identity.PublicKey;

/**
 * A SHA-256 Merkle tree over an epoch's (miner key, credits) entries, sorted by key; each leaf is a {@link RewardLeaf}
 * that also names the epoch and its total credits. Leaves and inner nodes are hashed under different domain bytes so
 * a node can never pass for a leaf, and an odd node is promoted to the next level unchanged instead of being paired
 * with a copy of itself (which would let two different lists share a root).
 */
public final class MerkleTree {

  private static final byte NODE = 0x01;
  private static final byte[] EMPTY_ROOT =
      Sha256.digest().digest("subnet/merkle/empty".getBytes(StandardCharsets.UTF_8));

  /** One entry of the tree. */
  public record Entry(PublicKey miner, long credits) {}

  private final int leafVersion;
  private final long epoch;
  private final long totalCredits;
  private final List<Entry> entries;
  private final List<byte[][]> levels = new ArrayList<>();

  private MerkleTree(int leafVersion, long epoch, List<Entry> sorted) {
    this.leafVersion = leafVersion;
    this.epoch = epoch;
    this.entries = sorted;
    long total = 0;
    for (Entry e : sorted) {
      if (e.credits() < 0) {
        throw new IllegalArgumentException("miner " + e.miner() + " has negative credits " + e.credits());
      }
      total = Math.addExact(total, e.credits());
    }
    this.totalCredits = total;
    byte[][] level = new byte[sorted.size()][];
    for (int i = 0; i < level.length; i++) {
      level[i] = leaf(sorted.get(i)).hash();
    }
    levels.add(level);
    while (level.length > 1) {
      byte[][] up = new byte[(level.length + 1) / 2][];
      for (int i = 0; i < up.length; i++) {
        up[i] = 2 * i + 1 < level.length ? nodeHash(level[2 * i], level[2 * i + 1]) : level[2 * i];
      }
      levels.add(up);
      level = up;
    }
  }

  /** Builds epoch {@code epoch}'s tree with current leaves; entries are sorted by miner key, each key once. */
  public static MerkleTree of(long epoch, List<Entry> entries) {
    return of(RewardLeaf.CURRENT, epoch, entries);
  }

  /** As {@link #of(long, List)} with the given {@link RewardLeaf} version (older epochs keep theirs). */
  public static MerkleTree of(int leafVersion, long epoch, List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(Entry::miner));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).miner().equals(sorted.get(i - 1).miner())) {
        throw new IllegalArgumentException("miner " + sorted.get(i).miner() + " appears twice in a Merkle tree");
      }
    }
    return new MerkleTree(leafVersion, epoch, List.copyOf(sorted));
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The leaf that {@code entry} hashes to in this tree. */
  public RewardLeaf leaf(Entry entry) {
    return new RewardLeaf(leafVersion, epoch, entry.miner(), entry.credits(), totalCredits);
  }

  public byte[] root() {
    byte[][] top = levels.get(levels.size() - 1);
    return top.length == 0 ? EMPTY_ROOT.clone() : top[0].clone();
  }

  /** The path from {@code miner}'s leaf to the root; throws if the miner has no entry. */
  public MerkleProof proof(PublicKey miner) {
    int index = -1;
    for (int lo = 0, hi = entries.size() - 1; lo <= hi; ) {
      int mid = (lo + hi) >>> 1;
      int c = entries.get(mid).miner().compareTo(miner);
      if (c == 0) {
        index = mid;
        break;
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (index < 0) {
      throw new IllegalArgumentException("miner " + miner + " has no entry in this tree");
    }
    List<MerkleProof.Step> steps = new ArrayList<>();
    for (int l = 0; l < levels.size() - 1; l++) {
      byte[][] level = levels.get(l);
      int sibling = index ^ 1;
      if (sibling < level.length) {
        steps.add(new MerkleProof.Step(level[sibling].clone(), sibling < index));
      }
      index >>= 1;
    }
    return new MerkleProof(steps);
  }

  /** True when {@code proof} leads from {@code leaf} to {@code root}. */
  public static boolean verify(byte[] root, RewardLeaf leaf, MerkleProof proof) {
    return MessageDigest.isEqual(rootOf(leaf, proof), root);
  }

  /** The root that {@code proof} leads to from {@code leaf}. */
  public static byte[] rootOf(RewardLeaf leaf, MerkleProof proof) {
    byte[] h = leaf.hash();
    for (MerkleProof.Step step : proof.steps()) {
      if (step.sibling().length != 32) {
        throw new IllegalArgumentException(
            "a proof step holds " + step.sibling().length + " bytes, not a SHA-256 hash");
      }
      h = step.siblingOnLeft() ? nodeHash(step.sibling(), h) : nodeHash(h, step.sibling());
    }
    return h;
  }

  static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = Sha256.digest();
    sha.update(NODE);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  @Override
  public String toString() {
    return "MerkleTree[" + entries.size() + " entries, root " + HexFormat.of().formatHex(root()) + "]";
  }
}
