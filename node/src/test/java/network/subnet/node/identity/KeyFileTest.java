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
  void groupOrWorldReadableKeyIsRefusedNamingChmodUnlessAllowed() throws Exception {
    Path path = tmp.resolve("key");
    LocalSigner signer = KeyFile.create(path);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> KeyFile.load(path, plain()))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600 " + path)
        .hasMessageContaining("--allow-open-key-permissions");
    assertThat(KeyFile.load(path, plain().allowingOpenPermissions()).publicKey()).isEqualTo(signer.publicKey());
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    assertThat(KeyFile.load(path, plain()).publicKey()).isEqualTo(signer.publicKey());
  }

  @Test
  void encryptedKeyHidesTheSeedAndOpensOnlyWithItsPassphrase() throws Exception {
    Path path = tmp.resolve("key");
    LocalSigner created = KeyFile.create(path, false, "correct horse".toCharArray());
    String text = Files.readString(path);
    assertThat(text)
        .contains("public: " + created.publicKey().hex())
        .contains("encryption: scrypt-aes256gcm")
        .doesNotContain(HexFormat.of().formatHex(created.seed()));
    assertThat(KeyFile.isEncrypted(path)).isTrue();
    assertThat(KeyFile.load(path, withPassphrase("correct horse")).publicKey()).isEqualTo(created.publicKey());
    assertThatThrownBy(() -> KeyFile.load(path, withPassphrase("wrong horse")))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("wrong passphrase for key file " + path);
  }

  @Test
  void swappingThePublicKeyOfAnEncryptedFileIsDetected() throws Exception {
    Path path = tmp.resolve("key");
    KeyFile.create(path, false, "pw".toCharArray());
    String other = LocalSigner.generate().publicKey().hex();
    Files.writeString(path, Files.readString(path).replaceAll("public: [0-9a-f]+", "public: " + other));
    assertThatThrownBy(() -> KeyFile.load(path, withPassphrase("pw"))).hasMessageContaining("wrong passphrase");
  }

  @Test
  void encryptThenDecryptKeepsTheIdentity() {
    Path path = tmp.resolve("key");
    LocalSigner created = KeyFile.create(path);
    assertThat(KeyFile.encrypt(path, plain(), "pw".toCharArray()).publicKey()).isEqualTo(created.publicKey());
    assertThat(KeyFile.isEncrypted(path)).isTrue();
    assertThatThrownBy(() -> KeyFile.encrypt(path, plain(), "pw".toCharArray()))
        .hasMessageContaining("already encrypted");
    assertThat(KeyFile.decrypt(path, withPassphrase("pw")).publicKey()).isEqualTo(created.publicKey());
    assertThat(KeyFile.isEncrypted(path)).isFalse();
    assertThat(KeyFile.load(path, plain()).publicKey()).isEqualTo(created.publicKey());
  }

  @Test
  void passphraseComesFromTheFileBeforeTheEnvironment() throws Exception {
    Path file = write("pass", "from-file\nignored second line\n");
    Path envOnly = tmp.resolve("none");
    assertThat(Passphrase.resolve(file, java.util.Map.of(Passphrase.ENV, "from-env")).get(envOnly, false))
        .containsExactly("from-file".toCharArray());
    assertThat(Passphrase.resolve(null, java.util.Map.of(Passphrase.ENV, "from-env")).get(envOnly, false))
        .containsExactly("from-env".toCharArray());
  }

  @Test
  void encryptedKeyWithoutAnyPassphraseSourceSaysWhereToGiveOne() {
    Path path = tmp.resolve("key");
    KeyFile.create(path, false, "pw".toCharArray());
    // Tests run without a console, so the prompt is unavailable.
    assertThatThrownBy(() -> KeyFile.load(path, new KeyAccess(Passphrase.console(), false)))
        .hasMessageContaining(Passphrase.ENV)
        .hasMessageContaining("--passphrase-file");
  }

  private static KeyAccess plain() {
    return new KeyAccess((p, c) -> {
      throw new AssertionError("no passphrase should be needed");
    }, false);
  }

  private static KeyAccess withPassphrase(String p) {
    return new KeyAccess(Passphrase.of(p.toCharArray()), false);
  }

  private Path write(String name, String text) throws Exception {
    Path path = tmp.resolve(name);
    Files.writeString(path, text, UTF_8);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    return path;
  }
}
