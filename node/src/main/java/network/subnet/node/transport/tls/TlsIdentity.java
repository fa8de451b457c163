package network.subnet.node.transport.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A server's TLS certificate and private key: self-signed, because clients pin the certificate's
 * fingerprint rather than trust an authority. Generated once (ECDSA P-256, ten years) and kept as
 * two PEM files with mode 0600, so the fingerprint operators hand to miners stays the same across
 * restarts.
 */
public final class TlsIdentity {

  public static final String CERT_FILE = "tls-cert.pem";
  public static final String KEY_FILE = "tls-key.pem";
  static final Duration VALIDITY = Duration.ofDays(3650);

  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private TlsIdentity(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** A fresh identity held in memory only (tests, throwaway servers). */
  public static TlsIdentity generate(String commonName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(127, new SecureRandom()),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(VALIDITY)),
              subject,
              pair.getPublic());
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      return new TlsIdentity(
          new JcaX509CertificateConverter().getCertificate(holder), pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a TLS certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Loads the identity kept in {@code dir}, or generates one and stores it there when neither file
   * exists. One file without the other is refused rather than silently replaced: replacing would
   * change the fingerprint every miner pinned.
   */
  public static TlsIdentity loadOrCreate(Path dir, String commonName) {
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    boolean hasCert = Files.exists(cert);
    boolean hasKey = Files.exists(key);
    if (hasCert && hasKey) {
      return load(dir);
    }
    if (hasCert || hasKey) {
      throw new TlsException(
          "found "
              + (hasCert ? cert : key)
              + " but not "
              + (hasCert ? key : cert)
              + "; restore the missing file, or delete both to make a new certificate (miners must"
              + " then pin its new fingerprint)");
    }
    TlsIdentity identity = generate(commonName);
    identity.store(dir);
    return identity;
  }

  /** Loads {@code dir}/tls-cert.pem and {@code dir}/tls-key.pem and checks they belong together. */
  public static TlsIdentity load(Path dir) {
    Path certPath = dir.resolve(CERT_FILE);
    Path keyPath = dir.resolve(KEY_FILE);
    X509Certificate cert;
    PrivateKey key;
    try {
      Object certObject = readPem(certPath);
      if (!(certObject instanceof X509CertificateHolder holder)) {
        throw new TlsException(certPath + " holds no PEM certificate");
      }
      cert = new JcaX509CertificateConverter().getCertificate(holder);
      Object keyObject = readPem(keyPath);
      if (keyObject instanceof PrivateKeyInfo info) {
        key = new JcaPEMKeyConverter().getPrivateKey(info);
      } else if (keyObject instanceof PEMKeyPair pair) {
        key = new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
      } else {
        throw new TlsException(keyPath + " holds no unencrypted PEM private key");
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("cannot read the TLS identity in " + dir + ": " + e.getMessage(), e);
    }
    if (!matches(cert, key)) {
      throw new TlsException(
          keyPath + " is not the private key of the certificate " + certPath + "; restore the pair");
    }
    return new TlsIdentity(cert, key);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** For the server's TLS context only. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The SHA-256 fingerprint clients pin. */
  public String fingerprint() {
    return CertificateFingerprint.of(certificate);
  }

  /** Writes both PEM files into {@code dir} (created 0700 if missing), each 0600 from its first byte. */
  public void store(Path dir) {
    try {
      Path abs = dir.toAbsolutePath();
      boolean posix = abs.getFileSystem().supportedFileAttributeViews().contains("posix");
      if (!Files.isDirectory(abs)) {
        if (posix) {
          Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
          Files.createDirectories(abs);
        }
      }
      writeSecret(abs, KEY_FILE, pem(new JcaPKCS8Generator(privateKey, null)), posix);
      writeSecret(abs, CERT_FILE, pem(certificate), posix);
    } catch (IOException e) {
      throw new TlsException("cannot store the TLS identity in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean matches(X509Certificate cert, PrivateKey key) {
    try {
      byte[] probe = "subnet/tls-identity-check".getBytes(StandardCharsets.UTF_8);
      String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static Object readPem(Path path) throws IOException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new TlsException("no file " + path, e);
    }
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      return parser.readObject();
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static void writeSecret(Path dir, String name, String text, boolean posix)
      throws IOException {
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
            : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + name + "-", ".tmp", attrs);
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
