package network.subnet.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LastWritesTest {

  @Test
  void aWriteIsOverriddenOnlyByALaterOneOnTheSameColumnAndKey() {
    Column[] columns = {Column.TRUST, Column.TRUST, Column.MINERS, Column.TRUST, Column.RESULTS};
    byte[][] keys = {{1}, {2}, {1}, {1}, {1, 0}};
    assertThat(LastWrites.overridden(columns, keys, 5)).containsExactly(true, false, false, false, false);
  }

  @Test
  void keysAreComparedByContentAndNoneOverriddenGivesNull() {
    Column[] columns = {Column.LEASES, Column.LEASES, Column.LEASES};
    assertThat(LastWrites.overridden(columns, new byte[][] {{7, 7}, {7}, {}}, 3)).isNull();
    assertThat(LastWrites.overridden(columns, new byte[][] {{7, 7}, {7}, {7, 7}}, 3))
        .containsExactly(true, false, false);
    assertThat(LastWrites.overridden(new Column[0], new byte[0][], 0)).isNull();
  }

  @Test
  void matchesAPlainSetOfSeenKeysOnRandomRuns() {
    Random random = new Random(3);
    Column[] pick = {Column.TRUST, Column.RESULTS, Column.CREDITS};
    for (int run = 0; run < 200; run++) {
      int count = 1 + random.nextInt(300);
      Column[] columns = new Column[count];
      byte[][] keys = new byte[count][];
      for (int i = 0; i < count; i++) {
        columns[i] = pick[random.nextInt(pick.length)];
        // Few distinct keys of a few lengths, so repeats and hash collisions both occur.
        keys[i] = new byte[1 + random.nextInt(3)];
        keys[i][0] = (byte) random.nextInt(1 + run % 40);
      }
      boolean[] expected = new boolean[count];
      boolean any = false;
      Set<String> seen = new HashSet<>();
      for (int i = count - 1; i >= 0; i--) {
        expected[i] = !seen.add(columns[i] + ":" + HexFormat.of().formatHex(keys[i]));
        any |= expected[i];
      }
      boolean[] actual = LastWrites.overridden(columns, keys, count);
      if (any) {
        assertThat(actual).containsExactly(expected);
      } else {
        assertThat(actual).isNull();
      }
    }
  }
}
