package network.subnet.node.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {

  @TempDir Path dir;

  @Test
  void createdOnceStoredOwnerOnlyAndReloadedWithTheSameFingerprint() throws Exception {
    TlsIdentity first = TlsIdentity.loadOrCreate(dir.resolve("tls"), "v");
    for (String name : new String[] {TlsIdentity.CERT_FILE, TlsIdentity.KEY_FILE}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls").resolve(name))))
          .isEqualTo("rw-------");
    }
    TlsIdentity again = TlsIdentity.loadOrCreate(dir.resolve("tls"), "v");
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint()).hasSize(64);
    assertThat(Files.readString(dir.resolve("tls").resolve(TlsIdentity.KEY_FILE))).contains("BEGIN PRIVATE KEY");
  }

  @Test
  void oneFileWithoutTheOtherIsRefusedNotReplaced() throws Exception {
    TlsIdentity.loadOrCreate(dir, "v");
    Files.delete(dir.resolve(TlsIdentity.KEY_FILE));
    assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir, "v"))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("but not " + dir.resolve(TlsIdentity.KEY_FILE));
  }

  @Test
  void aKeyFromAnotherPairIsRefused() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    TlsIdentity.loadOrCreate(a, "v");
    TlsIdentity.loadOrCreate(b, "v");
    Files.copy(
        b.resolve(TlsIdentity.KEY_FILE),
        a.resolve(TlsIdentity.KEY_FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> TlsIdentity.load(a)).hasMessageContaining("is not the private key");
  }

  @Test
  void fingerprintsParseInOpensslFormAndRejectGarbage() {
    String hex = TlsIdentity.generate("v").fingerprint();
    String colons = hex.toUpperCase().replaceAll("(..)(?!$)", "$1:");
    assertThat(CertificateFingerprint.parse(colons)).isEqualTo(hex);
    assertThatThrownBy(() -> CertificateFingerprint.parse("abcd"))
        .hasMessageContaining("64 hex characters, got 4");
    assertThatThrownBy(() -> CertificateFingerprint.parse("z".repeat(64))).hasMessageContaining("not hex");
  }
}
