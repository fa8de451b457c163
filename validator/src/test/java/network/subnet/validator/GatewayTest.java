package network.subnet.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.Registration;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class GatewayTest {

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final LocalSigner validatorKey = LocalSigner.generate();
  private final ValidatorNode validator = new ValidatorNode(
      ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), new InMemoryStorage(), validatorKey,
      clock);
  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();

  private static void refused(Runnable call, ApiException.Code code, String part) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(part);
    });
  }

  @Test
  void registrationNamesTheValidatorAndChecksTheTeacher() {
    Registration r = validator.register(a.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "miner/1.0");
    assertThat(r.minerKey()).isEqualTo(a.publicKey());
    assertThat(r.validatorKey()).isEqualTo(validatorKey.publicKey());
    assertThat(r.serverTimeMs()).isEqualTo(clock.getAsLong());
    assertThat(r.heartbeatIntervalMs()).isEqualTo(20_000);
    assertThat(validator.networkStatus().miners()).isEqualTo(1);

    refused(() -> validator.register(b.publicKey(), new Capabilities(Set.of(TaskKind.DISTILL), null, List.of(), 1), ""),
        ApiException.Code.INVALID_ARGUMENT, "teacher");
    refused(() -> validator.register(b.publicKey(),
            Fixtures.capabilities(new TeacherSpec("", "t", "float32", "cpu", "single")), ""),
        ApiException.Code.INVALID_ARGUMENT, "model hash");
    // A compress-only miner needs no teacher.
    validator.register(b.publicKey(), new Capabilities(Set.of(TaskKind.COMPRESS), null, List.of(), 1), "");
    assertThat(validator.networkStatus().miners()).isEqualTo(2);
  }

  @Test
  void leaseArgumentsAndRegistrationAreChecked() {
    refused(() -> validator.lease(a.publicKey(), 1, Duration.ZERO), ApiException.Code.FAILED_PRECONDITION, "register");
    validator.register(a.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "");
    refused(() -> validator.lease(a.publicKey(), 0, Duration.ZERO), ApiException.Code.INVALID_ARGUMENT, "max tasks");
  }

  @Test
  void heartbeatKeepsLeasesAndCancelsSettledTasks() {
    validator.register(a.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "");
    validator.register(b.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "");
    validator.addTasks(List.of(Fixtures.task(1), Fixtures.task(2)));
    List<Lease> leases = validator.lease(a.publicKey(), 2, Duration.ZERO);
    assertThat(leases).hasSize(2);
    clock.advance(45_000);
    assertThat(validator.heartbeat(a.publicKey(), List.of(leases.get(0).taskId()))).isEmpty();
    clock.advance(45_000);
    assertThat(validator.heartbeat(a.publicKey(), leases.stream().map(Lease::taskId).toList()))
        .as("the second lease was not kept alive")
        .containsExactly(leases.get(1).taskId());
    assertThat(validator.minerStatus(a.publicKey()).leasesOpen()).isEqualTo(1);
  }
}
