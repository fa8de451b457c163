package network.subnet.validator.testing;

import java.time.Duration;
import java.util.List;
import network.subnet.node.api.Lease;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;

/** A validator over in-memory storage with two honest miners that have settled {@code tasks} tasks. */
public final class Network {

  public final Fixtures.Clock clock = new Fixtures.Clock();
  public final LocalSigner validatorKey = LocalSigner.generate();
  public final LocalSigner a = LocalSigner.generate();
  public final LocalSigner b = LocalSigner.generate();
  public final ValidatorNode validator = new ValidatorNode(
      ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), new InMemoryStorage(), validatorKey,
      clock);

  public Network(int tasks) {
    validator.register(a.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
    validator.register(b.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
    for (int i = 0; i < tasks; i++) {
      validator.addTasks(List.of(Fixtures.task(i)));
      for (LocalSigner m : List.of(a, b)) {
        Lease lease = validator.lease(m.publicKey(), 1, Duration.ZERO).get(0);
        validator.submit(m.publicKey(), Fixtures.signed(m, lease, Fixtures.honest(lease.distill())));
      }
    }
    validator.addTasks(List.of(Fixtures.task(1000)));
  }
}
