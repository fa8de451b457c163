package network.subnet.miner.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.testing.TinyModels;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MistralTeacherTest {

  private static MistralTeacher teacher;
  private static ReferenceMistral reference;

  @BeforeAll
  static void load() throws IOException {
    Path dir = TinyModels.checkpoint();
    teacher = MistralTeacher.load(dir, TeacherOptions.defaults());
    reference = new ReferenceMistral(dir);
  }

  @AfterAll
  static void close() {
    teacher.close();
  }

  private static int[] encode(String text) {
    return teacher.tokenizer().encode(text);
  }

  @Test
  void matchesAnIndependentDoublePrecisionForwardPass() {
    List<int[]> seqs =
        List.of(
            encode("the teacher model computes soft labels for every token of the sequence"),
            encode("Numbers like 31337 and words like zebra fall back to single bytes: caf\u00e9!"));
    int k = 16;
    float temperature = 1.5f;
    List<SoftLabels> got = teacher.label(seqs, k, temperature);
    for (int s = 0; s < seqs.size(); s++) {
      double[][] ref = reference.logProbs(seqs.get(s), temperature);
      SoftLabels labels = got.get(s);
      assertThat(labels.positions()).isEqualTo(seqs.get(s).length);
      assertThat(labels.topK()).isEqualTo(k);
      for (int p = 0; p < ref.length; p++) {
        double[] row = ref[p];
        int[] refIds =
            IntStream.range(0, row.length).boxed().sorted(Comparator.comparingDouble(i -> -row[i])).limit(k)
                .mapToInt(Integer::intValue).toArray();
        assertThat(labels.tokenIds()[p]).as("top-k ids at position %d of sequence %d", p, s).containsExactly(refIds);
        for (int j = 0; j < k; j++) {
          assertThat((double) labels.logProbs()[p][j]).isCloseTo(row[refIds[j]], within(1e-4));
        }
      }
    }
  }

  @Test
  void hiddenStatesMatchTheReferenceAtEveryLayer() {
    int[] tokens = encode("hidden states of a short text");
    int layers = teacher.config().numHiddenLayers();
    for (int layer = 0; layer <= layers; layer++) {
      DenseTensor got = teacher.hiddenStates(tokens, layer, DType.F32);
      assertThat(got.shape()).containsExactly(tokens.length, teacher.config().hiddenSize());
      double[][] want = reference.hiddenState(tokens, layer);
      FloatBuffer values = ByteBuffer.wrap(got.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      for (int p = 0; p < tokens.length; p++) {
        for (int i = 0; i < want[p].length; i++) {
          assertThat((double) values.get(p * want[p].length + i)).as("layer %d position %d dim %d", layer, p, i)
              .isCloseTo(want[p][i], within(1e-4 + 1e-4 * Math.abs(want[p][i])));
        }
      }
    }
    assertThat(teacher.hiddenStates(tokens, 1, DType.BF16).data())
        .hasSize(tokens.length * teacher.config().hiddenSize() * 2);
    assertThatThrownBy(() -> teacher.hiddenStates(tokens, layers + 1, DType.F32)).hasMessageContaining("layer must be");
    assertThatThrownBy(() -> teacher.hiddenStates(new int[0], 1, DType.F32)).hasMessageContaining("empty");
  }

  @Test
  void paddingAndBatchingDoNotChangeResults() {
    List<int[]> seqs = new ArrayList<>();
    seqs.add(encode("a short one"));
    seqs.add(encode("a much longer sequence of words so that the others in its batch need right padding to match"));
    seqs.add(encode("medium length text here"));
    seqs.add(new int[] {1});
    List<SoftLabels> batched = teacher.label(seqs, 8, 1f);
    for (int s = 0; s < seqs.size(); s++) {
      SoftLabels alone = teacher.label(List.of(seqs.get(s)), 8, 1f).get(0);
      SoftLabels inBatch = batched.get(s);
      assertThat(inBatch.positions()).isEqualTo(seqs.get(s).length);
      for (int p = 0; p < alone.positions(); p++) {
        assertThat(inBatch.tokenIds()[p]).containsExactly(alone.tokenIds()[p]);
        for (int j = 0; j < 8; j++) {
          assertThat(inBatch.logProbs()[p][j]).isCloseTo(alone.logProbs()[p][j], within(1e-5f));
        }
      }
    }
  }

  @Test
  void causalQueryBlocksMatchOneBlock() throws IOException {
    MistralCheckpoint ckpt = MistralCheckpoint.open(TinyModels.checkpoint());
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      MistralWeights weights = MistralWeights.load(ckpt, m, msg -> {});
      List<int[]> seqs =
          List.of(
              encode("blocks of eight queries each see only the keys up to their own end, never the later ones"),
              encode("and a shorter, padded one"));
      int resident = m.getManagedArrays().size();
      List<SoftLabels> whole = new MistralForward(weights, 1024).label(m, seqs, 8, 1f);
      List<SoftLabels> blocked = new MistralForward(weights, 8).label(m, seqs, 8, 1f);
      // Every intermediate was freed with its call; only the weights stay.
      assertThat(m.getManagedArrays()).hasSize(resident);
      assertThat(seqs.get(0).length).isGreaterThan(16);
      for (int s = 0; s < seqs.size(); s++) {
        for (int p = 0; p < seqs.get(s).length; p++) {
          assertThat(blocked.get(s).tokenIds()[p]).containsExactly(whole.get(s).tokenIds()[p]);
          for (int j = 0; j < 8; j++) {
            assertThat(blocked.get(s).logProbs()[p][j]).isCloseTo(whole.get(s).logProbs()[p][j], within(1e-5f));
          }
        }
      }
    }
  }

  @Test
  void labelsADevnetSizedWorkload() {
    Random random = new Random(5);
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int[] s = new int[200 + random.nextInt(57)];
      s[0] = 1;
      for (int p = 1; p < s.length; p++) {
        s[p] = 3 + random.nextInt(teacher.config().vocabSize() - 3);
      }
      seqs.add(s);
    }
    long start = System.nanoTime();
    List<SoftLabels> labels = teacher.label(seqs, 64, 1f);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("tiny teacher: 20 sequences of 200-256 tokens in %.2f s%n", seconds);
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(labels.get(i).positions()).isEqualTo(seqs.get(i).length);
      assertThat(labels.get(i).topK()).isEqualTo(64);
    }
    // Spot-check one long sequence from the second batch against the reference.
    double[][] ref = reference.logProbs(seqs.get(19), 1.0);
    for (int p = 0; p < ref.length; p += 37) {
      int best = labels.get(19).tokenIds()[p][0];
      assertThat((double) labels.get(19).logProbs()[p][0]).isCloseTo(ref[p][best], within(1e-4));
    }
  }

  @Test
  void logProbsAreSortedAndNormalised() {
    SoftLabels labels = teacher.label(List.of(encode("the end")), 1024, 1f).get(0);
    for (float[] row : labels.logProbs()) {
      double sum = 0;
      for (int j = 0; j < row.length; j++) {
        sum += Math.exp(row[j]);
        if (j > 0) {
          assertThat(row[j]).isLessThanOrEqualTo(row[j - 1]);
        }
      }
      assertThat(sum).isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  void specRecordsHashesAndPolicy() throws IOException {
    TeacherSpec spec = teacher.spec();
    assertThat(spec.modelHash()).isEqualTo(MistralCheckpoint.open(TinyModels.checkpoint()).modelHash()).hasSize(64);
    assertThat(spec.tokenizerHash()).isEqualTo(teacher.tokenizer().hash());
    assertThat(spec.dtype()).isEqualTo("float32");
    assertThat(spec.device()).isEqualTo("cpu");
    assertThat(spec.batchPolicy()).contains("max-tokens");
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> teacher.label(List.of(new int[] {1, 99_999}), 4, 1f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99999");
    assertThatThrownBy(() -> teacher.label(List.of(new int[0]), 4, 1f)).hasMessageContaining("empty");
    assertThatThrownBy(() -> teacher.label(List.of(new int[] {1}), 4, 0f)).hasMessageContaining("temperature");
  }

  @Test
  void missingModelDirIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> MistralTeacher.load(dir.resolve("nope"), TeacherOptions.defaults()))
        .hasMessageContaining("nope")
        .hasMessageContaining("does not exist");
  }
}
