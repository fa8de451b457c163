package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.TrustConfig;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** One operator per address prefix: never two replicas of one task, and a cap on the keys it registers. */
class OperatorsTest {

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void addressesMapToTheirPrefix() throws Exception {
    Operators operators = new Operators(24, 48, true);
    assertThat(operators.operatorOf(ip("203.0.113.77"))).isEqualTo("203.0.113.0/24");
    assertThat(operators.operatorOf(ip("2001:db8:1:2::5"))).isEqualTo("2001:db8:1:0:0:0:0:0/48");
    assertThat(operators.operatorOf(ip("127.0.0.1"))).isNull();
    assertThat(operators.operatorOf(null)).isNull();
    assertThat(new Operators(24, 48, false).operatorOf(ip("127.0.0.1"))).isEqualTo("127.0.0.0/24");
    assertThat(new Operators(0, 48, false).operatorOf(ip("203.0.113.77"))).isNull();
    assertThat(new Operators(20, 48, false).operatorOf(ip("203.0.127.77"))).isEqualTo("203.0.112.0/20");
  }

  private static ValidatorNode validator(TrustConfig trust) {
    return new ValidatorNode(ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), trust, null,
        new InMemoryStorage(), LocalSigner.generate(), new Fixtures.Clock());
  }

  @Test
  void twoKeysOfOneOperatorNeverShareATask() throws Exception {
    ValidatorNode v = validator(TrustConfig.fixedReplication());
    v.addTasks(List.of(Fixtures.task(1)));
    LocalSigner a = LocalSigner.generate();
    LocalSigner sibling = LocalSigner.generate();
    LocalSigner other = LocalSigner.generate();
    v.register(a.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("203.0.113.5"));
    v.register(sibling.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("203.0.113.9"));
    v.register(other.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("198.51.100.9"));
    assertThat(v.lease(a.publicKey(), 1, Duration.ZERO)).hasSize(1);
    assertThat(v.lease(sibling.publicKey(), 1, Duration.ZERO)).as("same /24 as the holder").isEmpty();
    assertThat(v.lease(other.publicKey(), 1, Duration.ZERO)).hasSize(1);
  }

  @Test
  void registrationsAreCappedPerOperatorAndPerKey() throws Exception {
    TrustConfig trust = new TrustConfig(0, 10, 24, 48, true, 2);
    ValidatorNode v = validator(trust);
    v.register(LocalSigner.generate().publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("203.0.113.5"));
    LocalSigner second = LocalSigner.generate();
    v.register(second.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("203.0.113.6"));
    assertThatThrownBy(() -> v.register(
            LocalSigner.generate().publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("203.0.113.7")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(ApiException.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getMessage()).contains("operator 203.0.113.0/24 already registered 2 miner keys");
        });
    // Loopback is exempt, and a key already counted may register again.
    v.register(LocalSigner.generate().publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("127.0.0.1"));
    for (int i = 1; i < RegistrationLimits.DEFAULT_PER_KEY_PER_MINUTE; i++) {
      v.register(second.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("203.0.113.6"));
    }
    assertThatThrownBy(() -> v.register(
            second.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "t", ip("203.0.113.6")))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.getMessage()).contains("times in the last minute"));
  }
}
