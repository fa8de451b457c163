package network.subnet.validator.competitions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import network.subnet.node.identity.PublicKey;

/**
 * One scored submission as stored: its place in arrival order, who signed it, its raw score and the parts of that
 * score, whether it took the lead, and the submitter's signature kept as evidence.
 */
public record CompetitionEntry(
    String competitionId,
    long seq,
    PublicKey submitter,
    double rawScore,
    Map<String, Double> details,
    long submittedMs,
    boolean tookLead,
    String payloadSha256,
    byte[] signature) {

  public CompetitionEntry {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
