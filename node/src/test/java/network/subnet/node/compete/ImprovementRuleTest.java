package network.subnet.node.compete;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImprovementRuleTest {

  private final ImprovementRule rule = ImprovementRule.standard();

  @Test
  void higherIsBetterNeedsOnePercentMore() {
    assertThat(rule.threshold(1000, true)).isEqualTo(1010);
    assertThat(rule.beats(1010, 1000, true)).isTrue();
    assertThat(rule.beats(1009.99, 1000, true)).isFalse();
  }

  @Test
  void lowerIsBetterNeedsOnePercentLess() {
    assertThat(rule.threshold(0.5, false)).isEqualTo(0.495);
    assertThat(rule.beats(0.495, 0.5, false)).isTrue();
    assertThat(rule.beats(0.496, 0.5, false)).isFalse();
  }

  @Test
  void negativeTopScoresUseTheirMagnitude() {
    assertThat(rule.threshold(-0.5, true)).isEqualTo(-0.495);
    assertThat(rule.beats(-0.49, -0.5, true)).isTrue();
    assertThat(rule.beats(-0.498, -0.5, true)).isFalse();
  }

  @Test
  void marginMustBeAFraction() {
    assertThatThrownBy(() -> new ImprovementRule(1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
