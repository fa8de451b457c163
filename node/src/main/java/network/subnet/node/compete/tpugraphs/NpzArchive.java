package network.subnet.node.compete.tpugraphs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import network.subnet.node.codec.CodecException;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.codec.NumericArray;

/** A NumPy {@code .npz} archive: a zip of {@code .npy} arrays, each named by its entry without the suffix. */
final class NpzArchive {

  /** No single field of a graph is allowed more elements than this (node_feat of a very large graph fits). */
  static final long MAX_ELEMENTS = 1L << 28;

  private NpzArchive() {}

  /** Reads the named fields that the archive holds; fields it lacks are simply absent from the answer. */
  static Map<String, NumericArray> read(Path file, Set<String> fields) {
    Map<String, NumericArray> out = new HashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
        if (!fields.contains(name)) {
          continue;
        }
        if (e.getSize() > 16 * MAX_ELEMENTS) {
          throw new IllegalStateException(file + ": field " + name + " is too large (" + e.getSize() + " bytes)");
        }
        byte[] bytes;
        try (var in = zip.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        try {
          out.put(name, NpyFile.readNumeric(file + ":" + name, bytes, MAX_ELEMENTS));
        } catch (CodecException ex) {
          throw new IllegalStateException(ex.getMessage(), ex);
        }
      }
    } catch (ZipException e) {
      throw new IllegalStateException(file + ": not an .npz archive (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new IllegalStateException(file + ": cannot be read: " + e.getMessage(), e);
    }
    return out;
  }
}
