package network.subnet.node.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a node's Ed25519 key file. The file is plain text so an operator can inspect it:
 *
 * <pre>
 * # subnet node key: keep this file secret
 * type: ed25519
 * public: &lt;64 hex chars&gt;
 * secret: &lt;64 hex chars, the RFC 8032 seed&gt;
 * </pre>
 *
 * <p>An encrypted file ({@code keys new --encrypt}, {@code keys encrypt}) keeps {@code type} and
 * {@code public} readable and replaces the seed with its AES-256-GCM ciphertext under a key scrypt
 * derives from a passphrase, adding the lines {@code encryption: scrypt-aes256gcm}, {@code scrypt-n},
 * {@code scrypt-r}, {@code scrypt-p}, {@code salt} and {@code nonce}.
 *
 * <p>Loading refuses a file that group or others can read or write (the message names {@code chmod
 * 600}) unless {@link KeyAccess#allowOpenPermissions()} is set.
 *
 * <p>The file is created with mode 0600 from its first byte (a temp file with that mode, then a rename), so the
 * secret is never world-readable, even briefly; a missing parent directory is created with mode 0700.
 */
public final class KeyFile {

  public static final String TYPE = "ed25519";

  private static final Logger LOG = LoggerFactory.getLogger(KeyFile.class);
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
  private static final HexFormat HEX = HexFormat.of();

  private KeyFile() {}

  /** Loads the key at {@code path}, or creates a fresh unencrypted one there if no file exists yet. */
  public static LocalSigner loadOrCreate(Path path) {
    return loadOrCreate(path, KeyAccess.fromEnvironment());
  }

  /** As {@link #loadOrCreate(Path)}, unlocking an existing file with {@code access}. */
  public static LocalSigner loadOrCreate(Path path, KeyAccess access) {
    if (Files.exists(path)) {
      return load(path, access);
    }
    try {
      return create(path);
    } catch (KeyFileException e) {
      // Another process may have created it between our check and our write: use theirs.
      if (e.getCause() instanceof FileAlreadyExistsException) {
        return load(path, access);
      }
      throw e;
    }
  }

  /** Creates a new key at {@code path}; refuses if a file is already there. */
  public static LocalSigner create(Path path) {
    return create(path, false);
  }

  /** Creates a new key at {@code path}; an existing file is replaced only when {@code overwrite} is set. */
  public static LocalSigner create(Path path, boolean overwrite) {
    return create(path, overwrite, null);
  }

  /** As {@link #create(Path, boolean)}, encrypted under {@code passphrase} unless it is null. */
  public static LocalSigner create(Path path, boolean overwrite, char[] passphrase) {
    LocalSigner signer = LocalSigner.generate();
    write(path, format(signer, passphrase), overwrite);
    return signer;
  }

  /** Whether the key file at {@code path} is encrypted with a passphrase. */
  public static boolean isEncrypted(Path path) {
    return parse(path, read(path)).containsKey("encryption");
  }

  /** Rewrites the unencrypted key at {@code path} encrypted under {@code passphrase}; returns its signer. */
  public static LocalSigner encrypt(Path path, KeyAccess access, char[] passphrase) {
    if (isEncrypted(path)) {
      throw new KeyFileException("key file " + path + " is already encrypted");
    }
    LocalSigner signer = load(path, access);
    write(path, format(signer, passphrase), true);
    return signer;
  }

  /** Rewrites the encrypted key at {@code path} (unlocked with {@code access}) without encryption. */
  public static LocalSigner decrypt(Path path, KeyAccess access) {
    if (!isEncrypted(path)) {
      throw new KeyFileException("key file " + path + " is not encrypted");
    }
    LocalSigner signer = load(path, access);
    write(path, format(signer, null), true);
    return signer;
  }

  /**
   * Loads the key at {@code path}, checking its format and that its public key matches its secret;
   * an encrypted file takes its passphrase from {@value Passphrase#ENV}, else a terminal prompt.
   */
  public static LocalSigner load(Path path) {
    return load(path, KeyAccess.fromEnvironment());
  }

  /** As {@link #load(Path)}, with the passphrase source and permission policy of {@code access}. */
  public static LocalSigner load(Path path, KeyAccess access) {
    String text = read(path);
    Optional<String> open = permissionWarning(path);
    if (open.isPresent()) {
      if (!access.allowOpenPermissions()) {
        throw new KeyFileException(
            open.get() + " (or pass --allow-open-key-permissions to use it anyway)");
      }
      LOG.warn(open.get());
    }
    Map<String, String> fields = parse(path, text);
    String type = fields.get("type");
    if (!TYPE.equals(type)) {
      throw new KeyFileException(
          "key file " + path + ": unsupported key type '" + type + "' (expected '" + TYPE + "')");
    }
    byte[] seed = fields.containsKey("encryption") ? unlock(path, fields, access) : hexField(path, fields, "secret");
    byte[] publicBytes = hexField(path, fields, "public");
    LocalSigner signer;
    try {
      signer = LocalSigner.fromSeed(seed);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("key file " + path + ": bad secret: " + e.getMessage(), e);
    }
    PublicKey declared;
    try {
      declared = new PublicKey(publicBytes);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("key file " + path + ": bad public key: " + e.getMessage(), e);
    }
    if (!declared.equals(signer.publicKey())) {
      throw new KeyFileException(
          "key file "
              + path
              + ": the public key "
              + declared.hex()
              + " does not belong to the secret in the same file (which gives "
              + signer.publicKey().hex()
              + "); the file was edited or damaged");
    }
    return signer;
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new KeyFileException("no key file at " + path + " (create one with 'subnet keys new')", e);
    } catch (AccessDeniedException e) {
      throw new KeyFileException("cannot read key file " + path + ": permission denied", e);
    } catch (IOException e) {
      throw new KeyFileException("cannot read key file " + path + ": " + e, e);
    }
  }

  private static byte[] unlock(Path path, Map<String, String> fields, KeyAccess access) {
    String scheme = fields.get("encryption");
    if (!SecretBox.SCHEME.equals(scheme)) {
      throw new KeyFileException(
          "key file " + path + ": unsupported encryption '" + scheme + "' (expected '" + SecretBox.SCHEME + "')");
    }
    SecretBox box;
    try {
      box = new SecretBox(
          intField(path, fields, "scrypt-n"),
          intField(path, fields, "scrypt-r"),
          intField(path, fields, "scrypt-p"),
          hexField(path, fields, "salt"),
          hexField(path, fields, "nonce"),
          hexField(path, fields, "secret"));
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("key file " + path + " is corrupt: " + e.getMessage(), e);
    }
    char[] passphrase = access.passphrase().get(path, false);
    try {
      return box.open(passphrase, associated(fields.get("public")));
    } catch (AEADBadTagException e) {
      throw new KeyFileException("wrong passphrase for key file " + path + " (or the file was altered)", e);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  private static byte[] associated(String publicHex) {
    return ("subnet/key/v1 public " + publicHex).getBytes(StandardCharsets.UTF_8);
  }

  private static int intField(Path path, Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new KeyFileException("key file " + path + " is corrupt: no '" + name + "' line");
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new KeyFileException("key file " + path + " is corrupt: '" + name + "' is not a number", e);
    }
  }

  /** A warning if group or others have any access to the key file; empty where all is well. */
  static Optional<String> permissionWarning(Path path) {
    if (!isPosix(path)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (perms.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
        return Optional.of(
            "key file "
                + path
                + " has permissions "
                + PosixFilePermissions.toString(perms)
                + ", wider than rw-------; run: chmod 600 "
                + path);
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot check the permissions of key file " + path + ": " + e);
    }
  }

  private static Map<String, String> parse(Path path, String text) {
    Map<String, String> fields = new HashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new KeyFileException(
            "key file " + path + " is corrupt: line " + (i + 1) + " is not 'name: value'");
      }
      String name = line.substring(0, colon).strip();
      if (fields.put(name, line.substring(colon + 1).strip()) != null) {
        throw new KeyFileException("key file " + path + " is corrupt: '" + name + "' appears twice");
      }
    }
    return fields;
  }

  private static byte[] hexField(Path path, Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new KeyFileException("key file " + path + " is corrupt: no '" + name + "' line");
    }
    try {
      return HEX.parseHex(value);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("key file " + path + " is corrupt: '" + name + "' is not hex", e);
    }
  }

  private static String format(LocalSigner signer, char[] passphrase) {
    if (passphrase == null) {
      return "# subnet node key: keep this file secret, share only the public key\n"
          + "type: " + TYPE
          + "\npublic: " + signer.publicKey().hex()
          + "\nsecret: " + HEX.formatHex(signer.seed())
          + "\n";
    }
    if (passphrase.length == 0) {
      throw new KeyFileException("refusing to encrypt a key under an empty passphrase");
    }
    String publicHex = signer.publicKey().hex();
    SecretBox box = SecretBox.seal(signer.seed(), passphrase, associated(publicHex));
    return "# subnet node key, encrypted with a passphrase (scrypt + AES-256-GCM); share only the public key\n"
        + "type: " + TYPE
        + "\npublic: " + publicHex
        + "\nencryption: " + SecretBox.SCHEME
        + "\nscrypt-n: " + box.n()
        + "\nscrypt-r: " + box.r()
        + "\nscrypt-p: " + box.p()
        + "\nsalt: " + HEX.formatHex(box.salt())
        + "\nnonce: " + HEX.formatHex(box.nonce())
        + "\nsecret: " + HEX.formatHex(box.ciphertext())
        + "\n";
  }

  private static void write(Path path, String contents, boolean overwrite) {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    boolean posix = isPosix(target);
    try {
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
          Files.createDirectories(dir);
        }
      }
      if (!overwrite && Files.exists(target)) {
        throw new KeyFileException(
            "a key file already exists at " + target + "; refusing to overwrite it",
            new FileAlreadyExistsException(target.toString()));
      }
      FileAttribute<?>[] attrs =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
              : new FileAttribute<?>[0];
      Path tmp = Files.createTempFile(dir, ".key-", ".tmp", attrs);
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.wrap(contents.getBytes(StandardCharsets.UTF_8));
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
        publish(tmp, target, overwrite);
        syncDirectory(dir);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException("a key file already exists at " + target + "; refusing to overwrite it", e);
    } catch (IOException e) {
      throw new KeyFileException("cannot write key file " + target + ": " + e, e);
    }
  }

  /** Moves the finished temp file into place; without overwrite, a hard link makes "only if absent" atomic. */
  private static void publish(Path tmp, Path target, boolean overwrite) throws IOException {
    if (!overwrite) {
      try {
        Files.createLink(target, tmp);
        return;
      } catch (UnsupportedOperationException e) {
        // No hard links on this file system: the existence check above has to do.
      }
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Makes the new directory entry itself durable, so a power loss right after creation cannot lose the key. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the file's own contents are already forced.
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
