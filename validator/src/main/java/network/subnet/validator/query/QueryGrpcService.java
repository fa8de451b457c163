package network.subnet.validator.query;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.function.Supplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.transport.GrpcStatuses;
import network.subnet.node.transport.WireMapper;
import network.subnet.node.identity.PublicKey;
import network.subnet.proto.v1.ExplainRewardsRequest;
import network.subnet.proto.v1.ExplainRewardsResponse;
import network.subnet.proto.v1.KindCredits;
import network.subnet.proto.v1.LeaderboardEntry;
import network.subnet.proto.v1.LeaderboardRequest;
import network.subnet.proto.v1.LeaderboardResponse;
import network.subnet.proto.v1.MinerStatusRequest;
import network.subnet.proto.v1.MinerStatusResponse;
import network.subnet.proto.v1.NetworkStatusRequest;
import network.subnet.proto.v1.NetworkStatusResponse;
import network.subnet.proto.v1.QueryServiceGrpc;
import network.subnet.proto.v1.MerkleStep;
import network.subnet.proto.v1.RewardProofRequest;
import network.subnet.proto.v1.RewardProofResponse;
import network.subnet.proto.v1.RewardShare;
import network.subnet.proto.v1.RewardsRequest;
import network.subnet.proto.v1.RewardsResponse;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleProof;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.epoch.RewardLeaf;
import network.subnet.validator.epoch.RewardProof;

/** The public, read-only QueryService: unpacks each request, asks {@link RewardsService}, maps refusals to a Status. */
public final class QueryGrpcService extends QueryServiceGrpc.QueryServiceImplBase {

  private final RewardsService rewards;

  public QueryGrpcService(RewardsService rewards) {
    this.rewards = rewards;
  }

  @Override
  public void getRewards(RewardsRequest request, StreamObserver<RewardsResponse> out) {
    answer(out, () -> toProto(rewards.rewards(request.getEpoch())));
  }

  @Override
  public void getLeaderboard(LeaderboardRequest request, StreamObserver<LeaderboardResponse> out) {
    answer(out, () -> {
      LeaderboardResponse.Builder response = LeaderboardResponse.newBuilder();
      rewards.leaderboard(request.getLimit()).forEach(s -> response.addEntries(toProto(s)));
      return response.build();
    });
  }

  @Override
  public void getMinerStatus(MinerStatusRequest request, StreamObserver<MinerStatusResponse> out) {
    answer(out, () -> {
      PublicKey miner;
      try {
        miner = PublicKey.fromHex(request.getMinerKey());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(e.getMessage());
      }
      RewardsService.MinerStatus status = rewards.minerStatus(miner);
      MinerStatusResponse.Builder response =
          MinerStatusResponse.newBuilder().setEntry(toProto(status.standing())).setLeasesOpen(status.leasesOpen());
      if (status.teacher() != null) {
        response.setTeacher(WireMapper.toProto(status.teacher()));
      }
      return response.build();
    });
  }

  @Override
  public void getNetworkStatus(NetworkStatusRequest request, StreamObserver<NetworkStatusResponse> out) {
    answer(out, () -> {
      RewardsService.NetworkStatus s = rewards.networkStatus();
      return NetworkStatusResponse.newBuilder()
          .setTasksTotal(s.tasksTotal())
          .setTasksVerified(s.tasksVerified())
          .setTasksPending(s.tasksPending())
          .setMiners(s.miners())
          .setCurrentEpoch(s.currentEpoch())
          .build();
    });
  }

  @Override
  public void getRewardProof(RewardProofRequest request, StreamObserver<RewardProofResponse> out) {
    answer(out, () -> toProto(rewards.rewardProof(request.getEpoch(), minerKey(request.getMinerKey()))));
  }

  @Override
  public void explainRewards(ExplainRewardsRequest request, StreamObserver<ExplainRewardsResponse> out) {
    answer(out, () -> toProto(rewards.explain(request.getEpoch(), minerKey(request.getMinerKey()))));
  }

  private static PublicKey minerKey(String hex) {
    if (hex.isBlank()) {
      throw ApiException.invalid("miner_key is required");
    }
    return PublicKey.fromHex(hex);
  }

  private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    // A malformed query argument (a key that is not hex, say) is the caller's mistake, not ours.
    GrpcStatuses.respond("query", out, () -> {
      try {
        return call.get();
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(e.getMessage());
      }
    });
  }


  public static RewardsResponse toProto(EpochRecord e) {
    RewardsResponse.Builder r = RewardsResponse.newBuilder()
        .setEpoch(e.epoch())
        .setStartMs(e.startMs())
        .setEndMs(e.endMs())
        .setMerkleRoot(ByteString.copyFrom(e.merkleRoot()))
        .setSignature(ByteString.copyFrom(e.signature()))
        .setValidatorKey(e.validator().hex())
        .setLeafVersion(e.leafVersion());
    for (MerkleTree.Entry entry : e.entries()) {
      r.addShares(RewardShare.newBuilder()
          .setMinerKey(entry.miner().hex())
          .setCredits(entry.credits())
          .setShare(e.share(entry)));
    }
    return r.build();
  }

  static RewardProofResponse toProto(RewardProof p) {
    RewardLeaf leaf = p.leaf();
    RewardProofResponse.Builder r = RewardProofResponse.newBuilder()
        .setEpoch(leaf.epoch())
        .setStartMs(p.startMs())
        .setEndMs(p.endMs())
        .setMinerKey(leaf.miner().hex())
        .setCredits(leaf.credits())
        .setEpochCredits(leaf.epochCredits())
        .setShare(p.share())
        .setLeafVersion(leaf.version())
        .setMerkleRoot(ByteString.copyFrom(p.merkleRoot()))
        .setSignature(ByteString.copyFrom(p.signature()))
        .setValidatorKey(p.validator().hex());
    for (MerkleProof.Step step : p.path().steps()) {
      r.addPath(MerkleStep.newBuilder()
          .setSibling(ByteString.copyFrom(step.sibling()))
          .setSiblingOnLeft(step.siblingOnLeft()));
    }
    return r.build();
  }

  static ExplainRewardsResponse toProto(RewardsService.Earnings e) {
    ExplainRewardsResponse.Builder r = ExplainRewardsResponse.newBuilder()
        .setEpoch(e.epoch())
        .setClosed(e.closed())
        .setStartMs(e.startMs())
        .setEndMs(e.endMs())
        .setMinerKey(e.miner().hex())
        .setCredits(e.credits())
        .setEpochCredits(e.epochCredits())
        .setTasksVerified(e.verified())
        .setTasksFailed(e.failed())
        .setTasksPending(e.pending())
        .setTasksUndecided(e.undecided())
        .setHeldBack(e.heldBack())
        .setGoldPassed(e.goldPassed())
        .setGoldFailed(e.goldFailed());
    e.byKind().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(k -> r.addByKind(KindCredits.newBuilder()
            .setKind(WireMapper.toProto(k.getKey()))
            .setTasks(k.getValue().tasks())
            .setCredits(k.getValue().credits())));
    return r.build();
  }

  static LeaderboardEntry toProto(RewardsService.MinerStanding s) {
    return LeaderboardEntry.newBuilder()
        .setMinerKey(s.miner().hex())
        .setCredits(s.credits())
        .setResultsAccepted(s.resultsAccepted())
        .setResultsRejected(s.resultsRejected())
        .setLastSeenMs(s.lastSeenMs())
        .build();
  }
}
