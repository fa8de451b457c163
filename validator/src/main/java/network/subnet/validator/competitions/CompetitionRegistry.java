package network.subnet.validator.competitions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.compete.EntryDigest;
import network.subnet.node.compete.ImprovementRule;
import network.subnet.node.compete.ScoreCard;
import network.subnet.node.compete.Scorer;
import network.subnet.node.compete.ScorerRegistry;
import network.subnet.node.compete.ScoringException;
import network.subnet.node.storage.KeyValueStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The competitions a validator hosts. A submission is checked (signature, clock skew, open window, not a repeat of
 * the same payload by the same key), scored outside any lock, then numbered and judged against the top score under
 * the competition's lock: it takes the lead only if it beats the top by the competition's margin. Entries and lead
 * changes live in the ledger ({@link CompetitionStore}) and are reloaded at start.
 */
public final class CompetitionRegistry implements Competitions {

  private static final Logger LOG = LoggerFactory.getLogger(CompetitionRegistry.class);

  /** How far a submission's timestamp may be from the validator's clock. */
  public static final long MAX_SKEW_MS = 5 * 60_000;

  private final Map<String, Hosted> hosted = new LinkedHashMap<>();
  private final CompetitionStore store;
  private final LongSupplier clockMs;

  public CompetitionRegistry(
      List<CompetitionDefinition> definitions, ScorerRegistry scorers, KeyValueStorage storage, LongSupplier clockMs) {
    this.store = new CompetitionStore(storage);
    this.clockMs = clockMs;
    for (CompetitionDefinition d : definitions) {
      Scorer scorer = scorers.byName(d.scorer()).orElseThrow(() -> new IllegalArgumentException(
          "competition " + d.id() + " names unknown scorer " + d.scorer() + " (known: " + scorers.names() + ")"));
      if (hosted.containsKey(d.id())) {
        throw new IllegalArgumentException("two competitions with id " + d.id());
      }
      hosted.put(d.id(), new Hosted(d, scorer, store));
    }
  }

  /** One competition's definition, scorer and the state its lock guards. */
  private static final class Hosted {
    final CompetitionDefinition definition;
    final Scorer scorer;
    final ImprovementRule rule;
    long nextSeq;
    CompetitionEntry leader;

    Hosted(CompetitionDefinition definition, Scorer scorer, CompetitionStore store) {
      this.definition = definition;
      this.scorer = scorer;
      this.rule = new ImprovementRule(definition.improvement());
      List<CompetitionEntry> entries = store.entries(definition.id());
      this.nextSeq = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).seq() + 1;
      List<CompetitionEntry> leads = store.leads(definition.id());
      this.leader = leads.isEmpty() ? null : leads.get(leads.size() - 1);
    }

    synchronized CompetitionView view() {
      CompetitionDefinition d = definition;
      return new CompetitionView(d.id(), d.scorer(), d.dataset().toString(), d.description(), d.scoreToBeat(),
          d.improvement(), d.opensMs(), d.closesMs(), scorer.higherIsBetter(), leader, nextSeq - 1);
    }
  }

  private Hosted hosted(String id) {
    Hosted h = hosted.get(id);
    if (h == null) {
      throw ApiException.notFound("no competition " + id + " (hosted: " + hosted.keySet() + ")");
    }
    return h;
  }

  @Override
  public List<CompetitionView> list() {
    return hosted.values().stream().map(Hosted::view).toList();
  }

  @Override
  public CompetitionView show(String id) {
    return hosted(id).view();
  }

  @Override
  public List<CompetitionEntry> leadHistory(String id) {
    hosted(id);
    return store.leads(id);
  }

  @Override
  public List<CompetitionEntry> leaderboard(String id, int limit) {
    Hosted h = hosted(id);
    Comparator<CompetitionEntry> byScore = Comparator.comparingDouble(CompetitionEntry::rawScore);
    if (h.scorer.higherIsBetter()) {
      byScore = byScore.reversed();
    }
    List<CompetitionEntry> sorted = new ArrayList<>(store.entries(id));
    sorted.sort(byScore.thenComparingLong(CompetitionEntry::seq));
    return limit > 0 && sorted.size() > limit ? List.copyOf(sorted.subList(0, limit)) : sorted;
  }

  @Override
  public byte[] payload(String id, long seq) {
    hosted(id);
    return store.payload(id, seq).orElseThrow(() -> ApiException.notFound(
        "competition " + id + " has no entry " + seq));
  }

  @Override
  public SubmitResult submit(SignedSubmission s) {
    if (s == null || s.competitionId() == null) {
      throw ApiException.invalid("a submission must name its competition");
    }
    Hosted h = hosted(s.competitionId());
    if (!s.verify()) {
      throw new ApiException(ApiException.Code.UNAUTHENTICATED,
          "the submission's signature does not verify under key " + s.submitter().hex());
    }
    long now = clockMs.getAsLong();
    if (Math.abs(now - s.timestampMs()) > MAX_SKEW_MS) {
      throw new ApiException(ApiException.Code.UNAUTHENTICATED, "the submission's timestamp is "
          + Math.abs(now - s.timestampMs()) / 1000 + " s away from the validator's clock (at most "
          + MAX_SKEW_MS / 1000 + " s)");
    }
    CompetitionDefinition d = h.definition;
    if (!d.openAt(now)) {
      throw new ApiException(ApiException.Code.FAILED_PRECONDITION, "competition " + d.id() + " takes submissions "
          + java.time.Instant.ofEpochMilli(d.opensMs()) + " .. " + java.time.Instant.ofEpochMilli(d.closesMs())
          + (now < d.opensMs() ? "; it has not opened yet" : "; it has closed"));
    }
    byte[] payload = s.payload();
    if (payload.length == 0) {
      throw ApiException.invalid("the submission is empty");
    }
    String sha = HexFormat.of().formatHex(EntryDigest.sha256(payload));
    checkNotRepeated(d.id(), s, sha);
    ScoreCard card;
    try {
      card = h.scorer.score(payload, d.dataset());
    } catch (ScoringException e) {
      throw ApiException.invalid("submission refused by " + d.scorer() + ": " + e.getMessage());
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      LOG.error("competition {}: cannot score against {}", d.id(), d.dataset(), e);
      throw new ApiException(ApiException.Code.FAILED_PRECONDITION,
          "competition " + d.id() + " cannot score submissions now: " + e.getMessage());
    }
    synchronized (h) {
      checkNotRepeated(d.id(), s, sha);
      double top = h.leader == null ? d.scoreToBeat() : h.leader.rawScore();
      boolean higher = h.scorer.higherIsBetter();
      double threshold = h.rule.threshold(top, higher);
      boolean lead = h.rule.beats(card.raw(), top, higher);
      CompetitionEntry entry = new CompetitionEntry(d.id(), h.nextSeq, s.submitter(), card.raw(), card.details(),
          clockMs.getAsLong(), lead, sha, s.signature());
      store.put(entry, payload);
      h.nextSeq++;
      String message;
      if (lead) {
        h.leader = entry;
        message = "took the lead with %s (needed %s %s)".formatted(card.raw(), higher ? ">=" : "<=", threshold);
        LOG.info("competition {}: {} took the lead with {}", d.id(), s.submitter().hex(), card.raw());
      } else {
        message = "scored %s; the lead needs %s %s".formatted(card.raw(), higher ? ">=" : "<=", threshold);
      }
      return new SubmitResult(entry, threshold, message);
    }
  }

  private void checkNotRepeated(String id, SignedSubmission s, String sha) {
    for (CompetitionEntry e : store.entries(id)) {
      if (e.submitter().equals(s.submitter()) && e.payloadSha256().equals(sha)) {
        throw new ApiException(ApiException.Code.ALREADY_EXISTS, "this key already submitted this payload as entry "
            + e.seq() + " (score " + e.rawScore() + ")");
      }
    }
  }
}
