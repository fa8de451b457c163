package network.subnet.validator.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.testing.Fixtures;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class EpochCloseTest {

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final LocalSigner validatorKey = LocalSigner.generate();
  private final ValidatorNode validator = new ValidatorNode(
      ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16).withEpochLength(Duration.ofSeconds(1)),
      new InMemoryStorage(), validatorKey, clock);

  private void work(LocalSigner x, LocalSigner y, int tasks) {
    for (int i = 0; i < tasks; i++) {
      Lease lx = validator.lease(x.publicKey(), 1, Duration.ZERO).get(0);
      Lease ly = validator.lease(y.publicKey(), 1, Duration.ZERO).get(0);
      validator.submit(x.publicKey(), Fixtures.signed(x, lx, Fixtures.honest(lx.distill())));
      validator.submit(y.publicKey(), Fixtures.signed(y, ly, Fixtures.honest(ly.distill())));
    }
  }

  @Test
  void closedEpochHasSharesARootAndTheValidatorsSignature() {
    LocalSigner a = LocalSigner.generate();
    LocalSigner b = LocalSigner.generate();
    LocalSigner c = LocalSigner.generate();
    for (LocalSigner m : List.of(a, b, c)) {
      validator.register(m.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
    }
    for (int i = 0; i < 3; i++) {
      validator.addTasks(List.of(Fixtures.task(i)));
    }
    work(a, b, 2);
    work(a, c, 1);
    clock.advance(5_000);
    EpochRecord epoch = validator.closeEpoch();

    assertThat(epoch.epoch()).isZero();
    assertThat(epoch.endMs()).isEqualTo(clock.getAsLong());
    assertThat(epoch.validator()).isEqualTo(validatorKey.publicKey());
    assertThat(epoch.verify()).isTrue();
    assertThat(epoch.totalCredits()).isEqualTo(36);
    MerkleTree.Entry ea = epoch.entry(a.publicKey()).orElseThrow();
    assertThat(ea.credits()).isEqualTo(18);
    assertThat(epoch.share(ea)).isEqualTo(0.5);
    assertThat(epoch.entries().stream().mapToDouble(epoch::share).sum()).isCloseTo(1.0, Offset.offset(1e-12));

    MerkleProof proof = epoch.proof(c.publicKey());
    RewardLeaf leaf = new RewardLeaf(RewardLeaf.CURRENT, 0, c.publicKey(), 6, 36);
    assertThat(MerkleTree.verify(epoch.merkleRoot(), leaf, proof)).isTrue();
    RewardLeaf more = new RewardLeaf(RewardLeaf.CURRENT, 0, c.publicKey(), 7, 36);
    assertThat(MerkleTree.verify(epoch.merkleRoot(), more, proof)).isFalse();
    assertThat(epoch.rewardProof(c.publicKey()).check(c.publicKey(), validatorKey.publicKey()).ok()).isTrue();

    EpochRecord tampered = new EpochRecord(epoch.epoch(), epoch.startMs(), epoch.endMs() + 1, epoch.entries(),
        epoch.merkleRoot(), epoch.signature(), epoch.validator());
    assertThat(tampered.verify()).isFalse();

    assertThat(validator.rewards(0).merkleRoot()).isEqualTo(epoch.merkleRoot());
    assertThat(validator.rewards(-1).epoch()).isZero();
    assertThatThrownBy(() -> validator.rewards(1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.NOT_FOUND));

    EpochRecord next = validator.closeEpoch();
    assertThat(next.epoch()).isEqualTo(1);
    assertThat(next.startMs()).isEqualTo(epoch.endMs());
    assertThat(next.entries()).isEmpty();
    assertThat(validator.leaderboard(1)).singleElement().satisfies(s -> {
      assertThat(s.miner()).isEqualTo(a.publicKey());
      assertThat(s.credits()).isEqualTo(18);
    });
  }

  @Test
  void noEpochClosedYetIsNotFound() {
    assertThatThrownBy(() -> validator.rewards(-1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.NOT_FOUND));
  }

  @Test
  void theTimerClosesEpochsOnSchedule() throws Exception {
    validator.start();
    try {
      clock.advance(1_500);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (validator.ledger().openEpoch().number() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(validator.ledger().openEpoch().number()).isEqualTo(1);
    } finally {
      validator.stop();
    }
  }
}
