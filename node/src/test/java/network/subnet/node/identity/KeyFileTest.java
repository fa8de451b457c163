package network.subnet.node.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {

  @TempDir Path tmp;

  @Test
  void createdKeyLoadsBackAsTheSameIdentity() {
    Path path = tmp.resolve("key");
    LocalSigner created = KeyFile.create(path);
    LocalSigner loaded = KeyFile.load(path);
    assertThat(loaded.publicKey()).isEqualTo(created.publicKey());
    byte[] message = "lease 42".getBytes(UTF_8);
    assertThat(created.publicKey().verify(message, loaded.sign(message))).isTrue();
  }

  @Test
  void fileIsOwnerOnlyAndParentDirectoryIsCreatedPrivate() throws Exception {
    Path path = tmp.resolve("home/.subnet/key");
    KeyFile.create(path);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent()))).isEqualTo("rwx------");
    assertThat(KeyFile.permissionWarning(path)).isEmpty();
    try (var entries = Files.list(path.getParent())) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("key");
    }
  }

  @Test
  void fileHoldsTypePublicKeyAndSeedAsText() throws Exception {
    Path path = tmp.resolve("key");
    LocalSigner signer = KeyFile.create(path);
    String text = Files.readString(path);
    assertThat(text)
        .contains("type: ed25519")
        .contains("public: " + signer.publicKey().hex())
        .contains("secret: " + HexFormat.of().formatHex(signer.seed()));
  }

  @Test
  void createRefusesToOverwriteUnlessForced() throws Exception {
    Path path = tmp.resolve("key");
    LocalSigner first = KeyFile.create(path);
    assertThatThrownBy(() -> KeyFile.create(path))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("already exists")
        .hasMessageContaining(path.toString());
    assertThat(KeyFile.load(path).publicKey()).isEqualTo(first.publicKey());

    LocalSigner second = KeyFile.create(path, true);
    assertThat(second.publicKey()).isNotEqualTo(first.publicKey());
    assertThat(KeyFile.load(path).publicKey()).isEqualTo(second.publicKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
  }

  @Test
  void loadOrCreateCreatesOnceThenLoads() {
    Path path = tmp.resolve("sub/key");
    LocalSigner first = KeyFile.loadOrCreate(path);
    LocalSigner again = KeyFile.loadOrCreate(path);
    assertThat(again.publicKey()).isEqualTo(first.publicKey());
  }

  @Test
  void missingFileIsAClearError() {
    Path path = tmp.resolve("absent");
    assertThatThrownBy(() -> KeyFile.load(path))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("no key file at " + path)
        .hasMessageContaining("subnet keys new");
  }

  @Test
  void corruptContentIsAClearError() throws Exception {
    Path path = write("garbage", "this is not a key file\n");
    assertThatThrownBy(() -> KeyFile.load(path)).isInstanceOf(KeyFileException.class).hasMessageContaining("corrupt");

    Path noSecret = write("nosecret", "type: ed25519\npublic: " + "00".repeat(32) + "\n");
    assertThatThrownBy(() -> KeyFile.load(noSecret)).hasMessageContaining("no 'secret' line");

    Path badHex = write("badhex", "type: ed25519\npublic: zz\nsecret: " + "00".repeat(32) + "\n");
    assertThatThrownBy(() -> KeyFile.load(badHex)).hasMessageContaining("'public' is not hex");

    Path shortSeed = write("short", "type: ed25519\npublic: " + "00".repeat(32) + "\nsecret: 0102\n");
    assertThatThrownBy(() -> KeyFile.load(shortSeed)).hasMessageContaining("bad secret").hasMessageContaining("32");

    Path wrongType = write("rsa", "type: rsa\npublic: 00\nsecret: 00\n");
    assertThatThrownBy(() -> KeyFile.load(wrongType)).hasMessageContaining("unsupported key type 'rsa'");
  }

  @Test
  void publicKeyThatDoesNotMatchTheSeedIsRefused() throws Exception {
    Path path = tmp.resolve("key");
    KeyFile.create(path);
    String other = LocalSigner.generate().publicKey().hex();
    String text = Files.readString(path).replaceAll("public: [0-9a-f]+", "public: " + other);
    Files.writeString(path, text);
    assertThatThrownBy(() -> KeyFile.load(path))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("does not belong to the secret")
        .hasMessageContaining(other);
  }

  @Test
  void widePermissionsGiveAWarningButStillLoad() throws Exception {
    Path path = tmp.resolve("key");
    LocalSigner signer = KeyFile.create(path);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(KeyFile.permissionWarning(path))
        .hasValueSatisfying(w -> assertThat(w).contains("rw-r--r--").contains("chmod 600 " + path));
    assertThat(KeyFile.load(path).publicKey()).isEqualTo(signer.publicKey());
  }

  private Path write(String name, String text) throws Exception {
    Path path = tmp.resolve(name);
    Files.writeString(path, text, UTF_8);
    return path;
  }
}
