package network.subnet.validator.query;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcStatuses;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.PublicKey;
import network.subnet.proto.v1.LeaderboardEntry;
import network.subnet.proto.v1.LeaderboardRequest;
import network.subnet.proto.v1.MinerStatusRequest;
import network.subnet.proto.v1.MinerStatusResponse;
import network.subnet.proto.v1.NetworkStatusRequest;
import network.subnet.proto.v1.NetworkStatusResponse;
import network.subnet.proto.v1.QueryServiceGrpc;
import network.subnet.proto.v1.RewardShare;
import network.subnet.proto.v1.RewardsRequest;
import network.subnet.proto.v1.RewardsResponse;
import network.subnet.proto.v1.TeacherInfo;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;

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
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw GrpcStatuses.toApiException(e);
    }
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
        r.getSignature().toByteArray(), key(r.getValidatorKey()));
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
      channel.shutdown();
      try {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
