package network.subnet.validator.competitions;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.transport.GrpcStatuses;
import network.subnet.proto.v1.CompetitionLeaderboardRequest;
import network.subnet.proto.v1.CompetitionLeaderboardResponse;
import network.subnet.proto.v1.CompetitionServiceGrpc;
import network.subnet.proto.v1.CompetitionSubmission;
import network.subnet.proto.v1.EntryPayload;
import network.subnet.proto.v1.GetEntryPayloadRequest;
import network.subnet.proto.v1.GetCompetitionRequest;
import network.subnet.proto.v1.GetCompetitionResponse;
import network.subnet.proto.v1.ListCompetitionsRequest;
import network.subnet.proto.v1.ListCompetitionsResponse;
import network.subnet.proto.v1.SubmitEntryResponse;

/**
 * The CompetitionService: unpacks each request, asks {@link Competitions}, maps refusals to a Status. Queries are
 * public; a submission carries its own signature, checked by the domain.
 */
public final class CompetitionGrpcService extends CompetitionServiceGrpc.CompetitionServiceImplBase {

  private final Competitions competitions;

  public CompetitionGrpcService(Competitions competitions) {
    this.competitions = competitions;
  }

  @Override
  public void listCompetitions(ListCompetitionsRequest request, StreamObserver<ListCompetitionsResponse> out) {
    answer("competitions/list", out, () -> {
      ListCompetitionsResponse.Builder r = ListCompetitionsResponse.newBuilder();
      competitions.list().forEach(v -> r.addCompetitions(CompetitionMapper.toProto(v)));
      return r.build();
    });
  }

  @Override
  public void getCompetition(GetCompetitionRequest request, StreamObserver<GetCompetitionResponse> out) {
    answer("competitions/show", out, () -> {
      GetCompetitionResponse.Builder r =
          GetCompetitionResponse.newBuilder().setCompetition(CompetitionMapper.toProto(competitions.show(request.getId())));
      competitions.leadHistory(request.getId()).forEach(e -> r.addLeadHistory(CompetitionMapper.toProto(e)));
      return r.build();
    });
  }

  @Override
  public void getLeaderboard(CompetitionLeaderboardRequest request, StreamObserver<CompetitionLeaderboardResponse> out) {
    answer("competitions/leaderboard", out, () -> {
      CompetitionLeaderboardResponse.Builder r = CompetitionLeaderboardResponse.newBuilder();
      competitions.leaderboard(request.getId(), request.getLimit())
          .forEach(e -> r.addEntries(CompetitionMapper.toProto(e)));
      return r.build();
    });
  }

  @Override
  public void submit(CompetitionSubmission request, StreamObserver<SubmitEntryResponse> out) {
    answer("competitions/submit", out, () -> {
      SubmitResult result = competitions.submit(CompetitionMapper.fromProto(request));
      return SubmitEntryResponse.newBuilder()
          .setEntry(CompetitionMapper.toProto(result.entry()))
          .setThreshold(result.threshold())
          .setMessage(result.message())
          .build();
    });
  }

  @Override
  public void getEntryPayload(GetEntryPayloadRequest request, StreamObserver<EntryPayload> out) {
    answer("competitions/payload", out, () -> EntryPayload.newBuilder()
        .setPayload(ByteString.copyFrom(competitions.payload(request.getId(), request.getSeq())))
        .build());
  }

  private static <T> void answer(String method, StreamObserver<T> out, Supplier<T> call) {
    GrpcStatuses.respond(method, out, () -> {
      try {
        return call.get();
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(e.getMessage());
      }
    });
  }
}
