package network.subnet.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.testing.Fixtures;
import network.subnet.validator.testing.WhitespaceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssemblyTest {

  @TempDir Path dir;

  @Test
  void loadsInputsOnceAndLeasesTheirTasks() throws Exception {
    Path input = dir.resolve("docs.jsonl");
    Files.writeString(input, "{\"text\": \"a b c d e f g\"}\n{\"text\": \"h i\"}\n");
    WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
    ValidatorConfig config = ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, 4, 4).withInputs(List.of(input));
    InMemoryStorage storage = new InMemoryStorage();
    ValidatorAssembly assembly = ValidatorAssembly.assemble(config, storage, tokenizer, LocalSigner.generate());
    assertThat(assembly.loadTasks()).isEqualTo(4);
    assertThat(ValidatorAssembly.assemble(config, storage, tokenizer, LocalSigner.generate()).loadTasks())
        .as("a restart adds nothing twice").isZero();

    LocalSigner miner = LocalSigner.generate();
    var teacher = new network.subnet.node.api.TeacherSpec(Fixtures.MODEL, tokenizer.hash(), "float32", "cpu", "single");
    assembly.minerGateway().register(miner.publicKey(), Fixtures.capabilities(teacher), "test");
    List<Lease> leases = assembly.minerGateway().lease(miner.publicKey(), 10, Duration.ZERO);
    assertThat(leases).hasSize(4).allSatisfy(l -> {
      assertThat(l.distill().tokens()[0]).isEqualTo(WhitespaceTokenizer.BOS);
      assertThat(l.distill().topK()).isEqualTo(4);
    });
    assertThat(assembly.rewards().networkStatus().tasksTotal()).isEqualTo(4);
  }

  @Test
  void loadsActivationFilesAsCompressTasksBesideTheTexts() throws Exception {
    Path input = dir.resolve("docs.jsonl");
    Files.writeString(input, "{\"text\": \"a b c\"}\n");
    Path acts = Files.createDirectories(dir.resolve("acts"));
    NpyFile.write(acts.resolve("x.npy"), Fixtures.compressTask(1, 4, 16, 0.99).compress().activations());
    NpyFile.write(acts.resolve("y.npy"), Fixtures.compressTask(2, 4, 16, 0.99).compress().activations());
    ValidatorConfig config = ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, 4, 4).withInputs(List.of(input))
        .withActivations(List.of(acts), 0.995);
    InMemoryStorage storage = new InMemoryStorage();
    WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
    ValidatorAssembly assembly = ValidatorAssembly.assemble(config, storage, tokenizer, LocalSigner.generate());
    assertThat(assembly.loadTasks()).isEqualTo(1 + 2);
    assertThat(ValidatorAssembly.assemble(config, storage, tokenizer, LocalSigner.generate()).loadTasks()).isZero();

    LocalSigner miner = LocalSigner.generate();
    assembly.minerGateway().register(miner.publicKey(),
        new Capabilities(Set.of(TaskKind.COMPRESS), null, List.of(), 1), "test");
    List<Lease> leases = assembly.minerGateway().lease(miner.publicKey(), 10, Duration.ZERO);
    assertThat(leases).hasSize(2).allSatisfy(l -> {
      assertThat(l.kind()).isEqualTo(TaskKind.COMPRESS);
      assertThat(l.compress().similarityFloor()).isEqualTo(0.995);
      assertThat(l.compress().activations().shape()).containsExactly(4, 16);
    });
  }

  @Test
  void needsAModelHash() {
    assertThatThrownBy(() -> ValidatorAssembly.assemble(
            ValidatorConfig.defaults(), new InMemoryStorage(), new WhitespaceTokenizer(), LocalSigner.generate()))
        .hasMessageContaining("model hash");
  }
}
