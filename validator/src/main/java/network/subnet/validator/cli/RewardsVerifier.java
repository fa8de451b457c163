package network.subnet.validator.cli;

import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.epoch.RewardLeaf;
import network.subnet.validator.epoch.RewardProof;
import network.subnet.validator.query.RewardsService;

/**
 * {@code subnet rewards --verify}: fetches one miner's entry with its Merkle proof and checks it locally against the
 * signed root and the validator's key, pinned by the caller or else trusted on first use.
 */
final class RewardsVerifier {

  /** Exit code when the validator answered but its answer does not verify. */
  static final int NOT_VERIFIED = 3;

  private final RewardsService rewards;
  private final String address;
  private final KnownValidators known;

  RewardsVerifier(RewardsService rewards, String address, KnownValidators known) {
    this.rewards = rewards;
    this.address = address;
    this.known = known;
  }

  /** Prints the outcome and returns the exit code: 0 verified, {@link #NOT_VERIFIED} otherwise. */
  int verify(long epoch, PublicKey miner, PublicKey pinned, boolean json, PrintWriter out, PrintWriter err) {
    RewardProof proof = rewards.rewardProof(epoch, miner);
    Optional<PublicKey> recorded = pinned == null ? known.lookup(address) : Optional.empty();
    PublicKey expected = pinned != null ? pinned : recorded.orElse(null);
    String trust;
    if (pinned != null) {
      trust = "pinned by --validator-key";
    } else if (recorded.isPresent()) {
      trust = "matches the key recorded for " + address + " in " + known.file();
    } else {
      trust = "not pinned: trusting it on first use (pin it with --validator-key)";
    }
    RewardProof.Check check = epoch >= 0 && proof.epoch() != epoch
        ? new RewardProof.Check(false, "asked for epoch " + epoch + " but the proof is for epoch " + proof.epoch())
        : proof.check(miner, expected);
    if (!check.ok() && expected != null && !expected.equals(proof.validator()) && pinned == null) {
      check = new RewardProof.Check(false, check.reason() + "; the key recorded on first use is in " + known.file()
          + ": if the validator really changed its key, pin the new one with --validator-key");
    }
    if (check.ok() && expected == null) {
      known.remember(address, proof.validator());
      trust += "; recorded for " + address + " in " + known.file();
    }
    if (json) {
      out.println(Output.json(toJson(proof, check, trust)));
    } else {
      RewardLeaf leaf = proof.leaf();
      out.printf("epoch %d  miner %s%n", proof.epoch(), leaf.miner().hex());
      out.printf("credits %d of %d  share %.4f%%%n", leaf.credits(), leaf.epochCredits(), 100 * proof.share());
      out.printf("merkle root %s  (%d proof steps)%n", HexFormat.of().formatHex(proof.merkleRoot()),
          proof.path().steps().size());
      out.printf("validator %s  (%s)%n", proof.validator().hex(), trust);
      if (leaf.version() == RewardLeaf.V1) {
        out.println("note: this epoch predates leaves that commit to the epoch total; the share is not covered");
      }
      out.println(check.ok() ? "verified" : "NOT VERIFIED: " + check.reason());
    }
    out.flush();
    if (!check.ok()) {
      err.println("error: the reward entry does not verify: " + check.reason());
      return NOT_VERIFIED;
    }
    return 0;
  }

  private static Map<String, Object> toJson(RewardProof p, RewardProof.Check check, String trust) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("verified", check.ok());
    json.put("reason", check.reason());
    json.put("epoch", p.epoch());
    json.put("miner", p.leaf().miner().hex());
    json.put("credits", p.leaf().credits());
    json.put("epochCredits", p.leaf().epochCredits());
    json.put("share", p.share());
    json.put("leafVersion", p.leaf().version());
    json.put("merkleRoot", HexFormat.of().formatHex(p.merkleRoot()));
    json.put("proofSteps", p.path().steps().size());
    json.put("validatorKey", p.validator().hex());
    json.put("validatorTrust", trust);
    return json;
  }
}
