package network.subnet.validator.query;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.TaskKind;
import network.subnet.node.transport.WireMapper;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcStatuses;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.PublicKey;
import network.subnet.proto.v1.ExplainRewardsRequest;
import network.subnet.proto.v1.ExplainRewardsResponse;
import network.subnet.proto.v1.LeaderboardEntry;
import network.subnet.proto.v1.LeaderboardRequest;
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
import network.subnet.proto.v1.TeacherInfo;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleProof;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.epoch.RewardLeaf;
import network.subnet.validator.epoch.RewardProof;

/**
 * A {@link RewardsService} over a validator's QueryService. Answers come back as domain types, so a caller can check
 * an epoch's signature and Merkle root itself ({@link EpochRecord#verify()}). Refusals are {@link ApiException}s.
 */
public final class QueryClient implements RewardsService, AutoCloseable {

  private static final long DEADLINE_SECONDS = 15;

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final QueryServiceGrpc.QueryServiceBlockingStub stub;

  public QueryClient(ManagedChannel channel) {
    this(channel, false);
  }

  private QueryClient(ManagedChannel channel, boolean ownsChannel) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.stub = QueryServiceGrpc.newBlockingStub(channel);
  }

  /** Connects in plaintext to {@code host:port}, as {@code --insecure} does. */
  public static QueryClient connect(String hostPort) {
    return connect(hostPort, ChannelSecurity.insecure());
  }

  /** Connects to {@code host:port} with {@code security} (TLS pinned to the validator's certificate, or plaintext). */
  public static QueryClient connect(String hostPort, ChannelSecurity security) {
    return new QueryClient(security.dial(checkTarget(hostPort), ClientOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE), true);
  }

  /** {@code hostPort} if it has the HOST:PORT shape; otherwise an {@link IllegalArgumentException} naming the problem. */
  public static String checkTarget(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
    }
    try {
      Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port in '" + hostPort + "' is not a number", e);
    }
    return hostPort;
  }

  private QueryServiceGrpc.QueryServiceBlockingStub stub() {
    return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static <T> T call(Supplier<T> rpc) {
    return GrpcStatuses.call(rpc);
  }

  @Override
  public EpochRecord rewards(long epoch) {
    return epochRecord(call(() -> stub().getRewards(RewardsRequest.newBuilder().setEpoch(epoch).build())));
  }

  /** A signed epoch record as the wire carries it, back as the domain type (its signature unchecked). */
  public static EpochRecord epochRecord(RewardsResponse r) {
    List<MerkleTree.Entry> entries = new ArrayList<>();
    for (RewardShare s : r.getSharesList()) {
      entries.add(new MerkleTree.Entry(key(s.getMinerKey()), s.getCredits()));
    }
    return new EpochRecord(r.getEpoch(), r.getStartMs(), r.getEndMs(), entries, r.getMerkleRoot().toByteArray(),
        r.getSignature().toByteArray(), key(r.getValidatorKey()), leafVersion(r.getLeafVersion()));
  }

  /**
   * The validator's word on {@code miner}'s entry, unchecked: call {@link RewardProof#check} before believing it.
   */
  @Override
  public RewardProof rewardProof(long epoch, PublicKey miner) {
    RewardProofResponse r = call(() -> stub().getRewardProof(
        RewardProofRequest.newBuilder().setEpoch(epoch).setMinerKey(miner.hex()).build()));
    List<MerkleProof.Step> steps = new ArrayList<>();
    for (MerkleStep s : r.getPathList()) {
      steps.add(new MerkleProof.Step(s.getSibling().toByteArray(), s.getSiblingOnLeft()));
    }
    RewardLeaf leaf;
    try {
      leaf = new RewardLeaf(
          leafVersion(r.getLeafVersion()), r.getEpoch(), key(r.getMinerKey()), r.getCredits(), r.getEpochCredits());
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiException.Code.INTERNAL, "the validator sent a malformed reward entry: "
          + e.getMessage(), e);
    }
    return new RewardProof(r.getStartMs(), r.getEndMs(), leaf, r.getShare(), new MerkleProof(steps),
        r.getMerkleRoot().toByteArray(), r.getSignature().toByteArray(), key(r.getValidatorKey()));
  }

  @Override
  public Earnings explain(long epoch, PublicKey miner) {
    ExplainRewardsResponse r = call(() -> stub().explainRewards(
        ExplainRewardsRequest.newBuilder().setEpoch(epoch).setMinerKey(miner.hex()).build()));
    Map<TaskKind, KindCredits> byKind = new EnumMap<>(TaskKind.class);
    for (network.subnet.proto.v1.KindCredits k : r.getByKindList()) {
      TaskKind kind;
      try {
        kind = WireMapper.taskKind(k.getKind(), "by_kind.kind");
      } catch (ApiException | IllegalArgumentException e) {
        continue; // a kind newer than this client: shown in the totals, not by kind
      }
      byKind.put(kind, new KindCredits(k.getTasks(), k.getCredits()));
    }
    return new Earnings(r.getEpoch(), r.getClosed(), r.getStartMs(), r.getEndMs(), key(r.getMinerKey()),
        r.getCredits(), r.getEpochCredits(), r.getTasksVerified(), r.getTasksFailed(), r.getTasksPending(),
        r.getTasksUndecided(), r.getHeldBack(), r.getGoldPassed(), r.getGoldFailed(), byKind);
  }

  // Validators from before the leaf version was sent hashed version-1 leaves.
  private static int leafVersion(int wire) {
    return wire == 0 ? RewardLeaf.V1 : wire;
  }

  @Override
  public List<MinerStanding> leaderboard(int limit) {
    return call(() -> stub().getLeaderboard(LeaderboardRequest.newBuilder().setLimit(Math.max(0, limit)).build()))
        .getEntriesList().stream()
        .map(QueryClient::standing)
        .toList();
  }

  @Override
  public MinerStatus minerStatus(PublicKey miner) {
    MinerStatusResponse r =
        call(() -> stub().getMinerStatus(MinerStatusRequest.newBuilder().setMinerKey(miner.hex()).build()));
    TeacherSpec teacher = r.hasTeacher() ? teacher(r.getTeacher()) : null;
    return new MinerStatus(standing(r.getEntry()), teacher, r.getLeasesOpen());
  }

  @Override
  public NetworkStatus networkStatus() {
    NetworkStatusResponse r = call(() -> stub().getNetworkStatus(NetworkStatusRequest.getDefaultInstance()));
    return new NetworkStatus(
        r.getTasksTotal(), r.getTasksVerified(), r.getTasksPending(), r.getMiners(), r.getCurrentEpoch());
  }

  private static MinerStanding standing(LeaderboardEntry e) {
    return new MinerStanding(key(e.getMinerKey()), e.getCredits(), e.getResultsAccepted(), e.getResultsRejected(),
        e.getLastSeenMs());
  }

  private static TeacherSpec teacher(TeacherInfo t) {
    return new TeacherSpec(t.getModelHash(), t.getTokenizerHash(), t.getDtype(), t.getDevice(), t.getBatchPolicy());
  }

  private static PublicKey key(String hex) {
    try {
      return PublicKey.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiException.Code.INTERNAL, "the validator sent a malformed key: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (ownsChannel) {
      GrpcStatuses.shutdown(channel);
    }
  }
}
