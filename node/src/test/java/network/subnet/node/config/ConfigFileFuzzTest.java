package network.subnet.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import network.subnet.node.testing.FuzzFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Any config file reads to option names that look like option names, or ends in a {@link ConfigException}. */
class ConfigFileFuzzTest {

  private static FuzzFiles files;

  @BeforeAll
  static void createDir() {
    files = new FuzzFiles("config-fuzz");
  }

  @AfterAll
  static void deleteDir() {
    files.close();
  }

  /** Through the file, so that bytes which are not UTF-8 are part of what is fuzzed. */
  @FuzzTest(maxDuration = "60s")
  void read(byte[] bytes) {
    Path file = files.write("subnet.conf", bytes);
    try {
      ConfigFile config = ConfigFile.read(file);
      assertThat(config.values().keySet()).allMatch(k -> k.matches("[a-z0-9][a-z0-9.-]*"));
    } catch (ConfigException expected) {
      // refused: the contract
    }
  }
}
