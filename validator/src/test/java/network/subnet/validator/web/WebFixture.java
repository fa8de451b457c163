package network.subnet.validator.web;

import java.time.Duration;
import java.util.List;
import network.subnet.node.api.Lease;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.testing.Fixtures;

/**
 * A validator with a history worth showing: miners a and b agree on every task; c cheats on the later ones and is
 * outvoted by b in a tie-break. Epoch 0 closes after the first tasks, and a few tasks stay open, one with a result in.
 */
final class WebFixture {

  static final int EARLY_TASKS = 5;
  static final int LATE_TASKS = 4;
  static final int OPEN_TASKS = 3;

  final Fixtures.Clock clock = new Fixtures.Clock();
  final LocalSigner validatorKey = LocalSigner.generate();
  final LocalSigner a = LocalSigner.generate();
  final LocalSigner b = LocalSigner.generate();
  final LocalSigner c = LocalSigner.generate();
  final ValidatorNode validator;

  WebFixture(KeyValueStorage storage) {
    validator = new ValidatorNode(ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16)
        .withEpochLength(Duration.ofDays(1)), storage, validatorKey, clock);
    for (LocalSigner m : List.of(a, b, c)) {
      validator.register(m.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "web-test");
    }
    int seed = 0;
    for (int i = 0; i < EARLY_TASKS; i++, seed++) {
      validator.addTasks(List.of(Fixtures.task(seed)));
      honest(a);
      honest(i % 2 == 0 ? b : c);
      clock.advance(60_000);
    }
    validator.closeEpoch();
    for (int i = 0; i < LATE_TASKS; i++, seed++) {
      validator.addTasks(List.of(Fixtures.task(seed)));
      honest(a);
      Lease cheat = validator.lease(c.publicKey(), 1, Duration.ZERO).get(0);
      validator.submit(c.publicKey(), Fixtures.signed(c, cheat, Fixtures.dishonest(cheat.distill())));
      honest(b);
      clock.advance(60_000);
    }
    for (int i = 0; i < OPEN_TASKS; i++, seed++) {
      validator.addTasks(List.of(Fixtures.task(seed)));
    }
    honest(a);
    clock.advance(30_000);
  }

  private void honest(LocalSigner m) {
    Lease lease = validator.lease(m.publicKey(), 1, Duration.ZERO).get(0);
    validator.submit(m.publicKey(), Fixtures.signed(m, lease, Fixtures.honest(lease.distill())));
  }

  Dashboard dashboard() {
    return new Dashboard(validator, validator.ledger(), validator.validatorKey(), clock);
  }
}
