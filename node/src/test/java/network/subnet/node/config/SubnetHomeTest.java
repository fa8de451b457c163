package network.subnet.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubnetHomeTest {

  @Test
  void defaultsToDotSubnetInUserHome() {
    SubnetHome home = SubnetHome.resolve(Map.of(), "/home/ada");
    assertThat(home.root()).isEqualTo(Path.of("/home/ada/.subnet"));
    assertThat(home.keyFile()).isEqualTo(Path.of("/home/ada/.subnet/key"));
    assertThat(home.ledgerDir()).isEqualTo(Path.of("/home/ada/.subnet/ledger"));
    assertThat(home.modelsDir()).isEqualTo(Path.of("/home/ada/.subnet/models"));
  }

  @Test
  void environmentVariableWins() {
    assertThat(SubnetHome.resolve(Map.of("SUBNET_HOME", "/srv/subnet"), "/home/ada").keyFile())
        .isEqualTo(Path.of("/srv/subnet/key"));
  }

  @Test
  void unexpandedTildeIsExpanded() {
    assertThat(SubnetHome.resolve(Map.of("SUBNET_HOME", "~/nodes/a"), "/home/ada").root())
        .isEqualTo(Path.of("/home/ada/nodes/a"));
    assertThat(SubnetHome.resolve(Map.of("SUBNET_HOME", "~"), "/home/ada").root()).isEqualTo(Path.of("/home/ada"));
  }

  @Test
  void blankVariableCountsAsUnset() {
    assertThat(SubnetHome.resolve(Map.of("SUBNET_HOME", "  "), "/home/ada").root())
        .isEqualTo(Path.of("/home/ada/.subnet"));
  }
}
