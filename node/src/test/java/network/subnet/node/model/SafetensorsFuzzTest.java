package network.subnet.node.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.file.Path;
import network.subnet.node.testing.FuzzFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Safetensors shards come from disk, often downloaded: any file must open (and its tensors read) or end in a
 * {@link CheckpointException}, never another exception or an allocation sized by a forged header.
 */
class SafetensorsFuzzTest {

  private static FuzzFiles files;

  @BeforeAll
  static void createDir() {
    files = new FuzzFiles("safetensors-fuzz");
  }

  @AfterAll
  static void deleteDir() {
    files.close();
  }

  @FuzzTest(maxDuration = "60s")
  void openAndRead(byte[] bytes) {
    Path file = files.write("model.safetensors", bytes);
    try {
      SafetensorsFile st = SafetensorsFile.open(file);
      for (TensorInfo t : st.tensors().values()) {
        // open() checked every tensor against the file's size, so reading cannot ask for more than the file holds.
        assertThat(t.end()).isLessThanOrEqualTo(bytes.length);
        assertThat(BigInteger.valueOf(t.elementCount()).multiply(BigInteger.valueOf(t.dtype().byteSize())))
            .as("declared size of %s, exactly", t.name())
            .isEqualTo(BigInteger.valueOf(t.byteLength()));
        float[] values = SafetensorsFile.readFloats(t);
        assertThat((long) values.length).isEqualTo(t.elementCount());
      }
    } catch (CheckpointException expected) {
      // refused: the contract
    }
  }
}
