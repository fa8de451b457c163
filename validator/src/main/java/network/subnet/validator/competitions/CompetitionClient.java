package network.subnet.validator.competitions;

import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.node.transport.GrpcStatuses;
import network.subnet.proto.v1.CompetitionLeaderboardRequest;
import network.subnet.proto.v1.CompetitionServiceGrpc;
import network.subnet.proto.v1.GetCompetitionRequest;
import network.subnet.proto.v1.GetEntryPayloadRequest;
import network.subnet.proto.v1.ListCompetitionsRequest;
import network.subnet.proto.v1.SubmitEntryResponse;
import network.subnet.validator.query.QueryClient;

/**
 * {@link Competitions} over a validator's CompetitionService. Refusals come back as
 * {@link network.subnet.node.api.ApiException}s with the validator's reason.
 */
public final class CompetitionClient implements Competitions, AutoCloseable {

  /** Scoring a model or a prediction file can take a while. */
  private static final long SUBMIT_DEADLINE_SECONDS = 300;
  private static final long QUERY_DEADLINE_SECONDS = 15;
  private static final int MAX_MESSAGE_BYTES = 64 << 20;

  private final ManagedChannel channel;
  private final CompetitionServiceGrpc.CompetitionServiceBlockingStub stub;

  private CompetitionClient(ManagedChannel channel) {
    this.channel = channel;
    this.stub = CompetitionServiceGrpc.newBlockingStub(channel).withMaxOutboundMessageSize(MAX_MESSAGE_BYTES)
        .withMaxInboundMessageSize(MAX_MESSAGE_BYTES);
  }

  /** Connects in plaintext to {@code host:port}. */
  public static CompetitionClient connect(String hostPort) {
    return connect(hostPort, ChannelSecurity.insecure());
  }

  /** Connects to {@code host:port} with {@code security} (TLS pinned to the validator's certificate, or plaintext). */
  public static CompetitionClient connect(String hostPort, ChannelSecurity security) {
    return new CompetitionClient(security.dial(QueryClient.checkTarget(hostPort), MAX_MESSAGE_BYTES));
  }

  private CompetitionServiceGrpc.CompetitionServiceBlockingStub query() {
    return stub.withDeadlineAfter(QUERY_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static <T> T call(Supplier<T> rpc) {
    return GrpcStatuses.call(rpc);
  }

  @Override
  public List<CompetitionView> list() {
    return call(() -> query().listCompetitions(ListCompetitionsRequest.getDefaultInstance())).getCompetitionsList()
        .stream().map(CompetitionMapper::fromProto).toList();
  }

  @Override
  public CompetitionView show(String id) {
    return CompetitionMapper.fromProto(
        call(() -> query().getCompetition(GetCompetitionRequest.newBuilder().setId(id).build())).getCompetition());
  }

  @Override
  public List<CompetitionEntry> leadHistory(String id) {
    return call(() -> query().getCompetition(GetCompetitionRequest.newBuilder().setId(id).build()))
        .getLeadHistoryList().stream().map(CompetitionMapper::fromProto).toList();
  }

  @Override
  public List<CompetitionEntry> leaderboard(String id, int limit) {
    return call(() -> query().getLeaderboard(
            CompetitionLeaderboardRequest.newBuilder().setId(id).setLimit(Math.max(0, limit)).build()))
        .getEntriesList().stream().map(CompetitionMapper::fromProto).toList();
  }

  @Override
  public byte[] payload(String id, long seq) {
    return call(() -> stub.withDeadlineAfter(SUBMIT_DEADLINE_SECONDS, TimeUnit.SECONDS)
            .getEntryPayload(GetEntryPayloadRequest.newBuilder().setId(id).setSeq(seq).build()))
        .getPayload().toByteArray();
  }

  @Override
  public SubmitResult submit(SignedSubmission submission) {
    SubmitEntryResponse r = call(() -> stub.withDeadlineAfter(SUBMIT_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .submit(CompetitionMapper.toProto(submission)));
    return new SubmitResult(CompetitionMapper.fromProto(r.getEntry()), r.getThreshold(), r.getMessage());
  }

  @Override
  public void close() {
    GrpcStatuses.shutdown(channel);
  }
}
