package network.subnet.validator.query;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.transport.GrpcStatuses;
import network.subnet.node.transport.WireMapper;
import network.subnet.node.identity.PublicKey;
import network.subnet.proto.v1.LeaderboardEntry;
import network.subnet.proto.v1.LeaderboardRequest;
import network.subnet.proto.v1.LeaderboardResponse;
import network.subnet.proto.v1.MinerStatusRequest;
import network.subnet.proto.v1.MinerStatusResponse;
import network.subnet.proto.v1.NetworkStatusRequest;
import network.subnet.proto.v1.NetworkStatusResponse;
import network.subnet.proto.v1.QueryServiceGrpc;
import network.subnet.proto.v1.RewardShare;
import network.subnet.proto.v1.RewardsRequest;
import network.subnet.proto.v1.RewardsResponse;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;

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
        .setValidatorKey(e.validator().hex());
    for (MerkleTree.Entry entry : e.entries()) {
      r.addShares(RewardShare.newBuilder()
          .setMinerKey(entry.miner().hex())
          .setCredits(entry.credits())
          .setShare(e.share(entry)));
    }
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
