package network.subnet.validator.competitions;

import com.google.protobuf.ByteString;
import network.subnet.node.api.ApiException;
import network.subnet.node.identity.PublicKey;
import network.subnet.proto.v1.Competition;
import network.subnet.proto.v1.CompetitionSubmission;

/** Converts competition domain types to and from their wire messages; generated types stop here. */
final class CompetitionMapper {

  private CompetitionMapper() {}

  static Competition toProto(CompetitionView v) {
    Competition.Builder c = Competition.newBuilder()
        .setId(v.id())
        .setScorer(v.scorer())
        .setDataset(v.dataset())
        .setDescription(v.description())
        .setScoreToBeat(v.scoreToBeat())
        .setImprovement(v.improvement())
        .setOpensMs(v.opensMs())
        .setClosesMs(v.closesMs())
        .setHigherIsBetter(v.higherIsBetter())
        .setEntries(v.entries());
    if (v.leader() != null) {
      c.setLeader(toProto(v.leader()));
    }
    return c.build();
  }

  static CompetitionView fromProto(Competition c) {
    return new CompetitionView(c.getId(), c.getScorer(), c.getDataset(), c.getDescription(), c.getScoreToBeat(),
        c.getImprovement(), c.getOpensMs(), c.getClosesMs(), c.getHigherIsBetter(),
        c.hasLeader() ? fromProto(c.getLeader()) : null, c.getEntries());
  }

  static network.subnet.proto.v1.CompetitionEntry toProto(CompetitionEntry e) {
    return network.subnet.proto.v1.CompetitionEntry.newBuilder()
        .setCompetitionId(e.competitionId())
        .setSeq(e.seq())
        .setSubmitterKey(e.submitter().hex())
        .setRawScore(e.rawScore())
        .putAllDetails(e.details())
        .setSubmittedMs(e.submittedMs())
        .setTookLead(e.tookLead())
        .setPayloadSha256(e.payloadSha256())
        .setSignature(ByteString.copyFrom(e.signature()))
        .build();
  }

  static CompetitionEntry fromProto(network.subnet.proto.v1.CompetitionEntry e) {
    return new CompetitionEntry(e.getCompetitionId(), e.getSeq(), key(e.getSubmitterKey()), e.getRawScore(),
        new java.util.TreeMap<>(e.getDetailsMap()), e.getSubmittedMs(), e.getTookLead(), e.getPayloadSha256(),
        e.getSignature().toByteArray());
  }

  static CompetitionSubmission toProto(SignedSubmission s) {
    return CompetitionSubmission.newBuilder()
        .setCompetitionId(s.competitionId())
        .setPayload(ByteString.copyFrom(s.payload()))
        .setSubmitterKey(s.submitter().hex())
        .setTimestampMs(s.timestampMs())
        .setNonce(ByteString.copyFrom(s.nonce()))
        .setSignature(ByteString.copyFrom(s.signature()))
        .build();
  }

  static SignedSubmission fromProto(CompetitionSubmission s) {
    PublicKey key;
    try {
      key = PublicKey.fromHex(s.getSubmitterKey());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("the submission's key is malformed: " + e.getMessage());
    }
    return new SignedSubmission(s.getCompetitionId(), s.getPayload().toByteArray(), key, s.getTimestampMs(),
        s.getNonce().toByteArray(), s.getSignature().toByteArray());
  }

  private static PublicKey key(String hex) {
    try {
      return PublicKey.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiException.Code.INTERNAL, "the validator sent a malformed key: " + e.getMessage(), e);
    }
  }
}
