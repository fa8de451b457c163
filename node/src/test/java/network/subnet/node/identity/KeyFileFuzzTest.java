package network.subnet.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import network.subnet.node.testing.FuzzFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Any key file loads to a signer whose public key matches the file, or ends in a {@link KeyFileException}. */
class KeyFileFuzzTest {

  private static FuzzFiles files;

  @BeforeAll
  static void createDir() {
    files = new FuzzFiles("keyfile-fuzz");
  }

  @AfterAll
  static void deleteDir() {
    files.close();
  }

  @FuzzTest(maxDuration = "60s")
  void load(byte[] bytes) {
    Path file = files.write("node.key", bytes);
    try {
      LocalSigner signer = KeyFile.load(file);
      assertThat(signer.publicKey().verify(new byte[] {1}, signer.sign(new byte[] {1}))).isTrue();
    } catch (KeyFileException expected) {
      // refused: the contract
    }
  }
}
