package network.subnet.validator.competitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import network.subnet.node.api.ApiException;
import network.subnet.node.compete.ScorerRegistry;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.testing.TinyNpz;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompetitionRegistryTest {

  private static final long NOW = 1_800_000_000_000L;

  @TempDir Path dir;

  private final AtomicLong clock = new AtomicLong(NOW);
  private final LocalSigner alice = LocalSigner.generate();
  private final LocalSigner bob = LocalSigner.generate();
  private CompetitionDefinition runtime;

  @BeforeEach
  void dataset() throws IOException {
    // Best runtime 1000: predicting config 0 scores 2 - 1500/1000 = 0.5, config 1 0.504, config 2 0.506, config 3 1.
    TinyNpz.tileGraph(dir.resolve("tpu/tile/xla/test/g.npz"), 1500, 1496, 1494, 1000);
    runtime = new CompetitionDefinition("tpu-1", "runtime-prediction", dir.resolve("tpu"), 0.4, 0.01, NOW - 1000,
        NOW + 3_600_000, "predict TPU runtimes");
  }

  private CompetitionRegistry registry(RocksDbStorage storage) {
    return new CompetitionRegistry(List.of(runtime), ScorerRegistry.standard(), storage, clock::get);
  }

  private SignedSubmission entry(LocalSigner who, String configs) {
    byte[] csv = ("ID,TopConfigs\ntile:xla:g," + configs + "\n").getBytes(StandardCharsets.UTF_8);
    return SignedSubmission.sign(who, "tpu-1", csv, clock.get());
  }

  @Test
  void aChallengerTakesTheLeadOnlyByBeatingTheTopScoreByOnePercent() {
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      CompetitionRegistry r = registry(storage);
      SubmitResult first = r.submit(entry(alice, "0"));
      assertThat(first.entry().rawScore()).isCloseTo(0.5, within(1e-12));
      assertThat(first.threshold()).isCloseTo(0.404, within(1e-12));
      assertThat(first.entry().tookLead()).isTrue();

      SubmitResult close = r.submit(entry(bob, "1"));
      assertThat(close.entry().rawScore()).isCloseTo(0.504, within(1e-12));
      assertThat(close.threshold()).isCloseTo(0.505, within(1e-12));
      assertThat(close.entry().tookLead()).isFalse();

      SubmitResult enough = r.submit(entry(bob, "2"));
      assertThat(enough.entry().rawScore()).isCloseTo(0.506, within(1e-12));
      assertThat(enough.entry().tookLead()).isTrue();
      assertThat(r.show("tpu-1").leader().seq()).isEqualTo(3);

      assertThat(r.leaderboard("tpu-1", 0)).extracting(CompetitionEntry::seq).containsExactly(3L, 2L, 1L);
      assertThat(r.leaderboard("tpu-1", 1)).hasSize(1);
      assertThat(r.leadHistory("tpu-1")).extracting(CompetitionEntry::seq).containsExactly(1L, 3L);
      assertThat(r.show("tpu-1").entries()).isEqualTo(3);
      assertThat(new String(r.payload("tpu-1", 3), StandardCharsets.UTF_8)).isEqualTo("ID,TopConfigs\ntile:xla:g,2\n");
      assertThatThrownBy(() -> r.payload("tpu-1", 4)).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.code()).isEqualTo(ApiException.Code.NOT_FOUND));
    }
  }

  @Test
  void entriesAndTheLeaderSurviveARestart() {
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      CompetitionRegistry r = registry(storage);
      r.submit(entry(alice, "2"));
      r.submit(entry(bob, "0"));
    }
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      CompetitionRegistry r = registry(storage);
      CompetitionView view = r.show("tpu-1");
      assertThat(view.entries()).isEqualTo(2);
      assertThat(view.leader().submitter()).isEqualTo(alice.publicKey());
      assertThat(view.leader().details()).containsKey("tile:xla");
      SubmitResult next = r.submit(entry(bob, "3"));
      assertThat(next.entry().seq()).isEqualTo(3);
      assertThat(next.entry().tookLead()).isTrue();
      // A repeat of a stored entry is still recognised after the restart.
      assertThatThrownBy(() -> r.submit(entry(alice, "2")))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.ALREADY_EXISTS));
    }
  }

  @Test
  void badSubmissionsAreRefusedWithAReason() {
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      CompetitionRegistry r = registry(storage);
      SignedSubmission good = entry(alice, "0");
      SignedSubmission forged = new SignedSubmission("tpu-1", "ID,TopConfigs\ntile:xla:g,3\n".getBytes(
          StandardCharsets.UTF_8), good.submitter(), good.timestampMs(), good.nonce(), good.signature());
      assertThatThrownBy(() -> r.submit(forged)).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.code()).isEqualTo(ApiException.Code.UNAUTHENTICATED));
      assertThatThrownBy(() -> r.submit(entry(alice, "zero"))).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("line 2").contains("not an integer");
      });
      assertThatThrownBy(() -> r.submit(SignedSubmission.sign(alice, "nope", new byte[] {1}, NOW)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.NOT_FOUND));
      SignedSubmission stale = entry(alice, "1");
      clock.addAndGet(CompetitionRegistry.MAX_SKEW_MS + 1);
      assertThatThrownBy(() -> r.submit(stale)).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.getMessage()).contains("away from the validator's clock"));
      clock.set(NOW + 3_600_000);
      assertThatThrownBy(() -> r.submit(entry(alice, "1"))).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.getMessage()).contains("has closed"));
      // Nothing refused was stored.
      assertThat(r.leaderboard("tpu-1", 0)).isEmpty();
    }
  }

  @Test
  void aCompetitionNamingAnUnknownScorerIsRefusedAtStart() {
    CompetitionDefinition bad = new CompetitionDefinition("x", "chess", dir, 0, 0.01, 0, 1, "");
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      assertThatThrownBy(() -> new CompetitionRegistry(List.of(bad), ScorerRegistry.standard(), storage, clock::get))
          .hasMessageContaining("unknown scorer chess").hasMessageContaining("micronet-efficiency");
    }
  }
}
