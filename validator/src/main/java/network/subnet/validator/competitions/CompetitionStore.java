package network.subnet.validator.competitions;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.KeyValueStorage;

/**
 * Competition entries in the ledger. Keys are the competition id, a zero byte (ids never hold one) and the entry's
 * arrival seq, big-endian, so one competition's entries scan in arrival order. An entry, its payload and its lead
 * marker are written in one batch, so a crash never leaves a leader without its entry.
 */
public final class CompetitionStore {

  private static final int FORMAT = 1;

  private final KeyValueStorage storage;

  public CompetitionStore(KeyValueStorage storage) {
    this.storage = storage;
  }

  /** Stores an entry, the bytes it was scored on and, if it took the lead, its lead marker, in one batch. */
  public void put(CompetitionEntry entry, byte[] payload) {
    byte[] key = key(entry.competitionId(), entry.seq());
    try (KeyValueStorage.WriteBatch batch = storage.batch()) {
      batch.put(Column.COMPETITION_ENTRIES, key, encode(entry));
      batch.put(Column.COMPETITION_PAYLOADS, key, payload);
      if (entry.tookLead()) {
        batch.put(Column.COMPETITION_LEADS, key, new byte[0]);
      }
      batch.commit();
    }
  }

  public List<CompetitionEntry> entries(String competitionId) {
    List<CompetitionEntry> out = new ArrayList<>();
    storage.scan(Column.COMPETITION_ENTRIES, prefix(competitionId), (k, v) -> out.add(decode(competitionId, k, v)));
    return out;
  }

  public Optional<CompetitionEntry> entry(String competitionId, long seq) {
    byte[] key = key(competitionId, seq);
    return storage.get(Column.COMPETITION_ENTRIES, key).map(v -> decode(competitionId, key, v));
  }

  /** The bytes entry {@code seq} was scored on. */
  public Optional<byte[]> payload(String competitionId, long seq) {
    return storage.get(Column.COMPETITION_PAYLOADS, key(competitionId, seq));
  }

  /** The entries that took the lead, oldest first. */
  public List<CompetitionEntry> leads(String competitionId) {
    List<Long> seqs = new ArrayList<>();
    storage.scan(Column.COMPETITION_LEADS, prefix(competitionId), (k, v) -> seqs.add(seqOf(k)));
    List<CompetitionEntry> out = new ArrayList<>(seqs.size());
    for (long seq : seqs) {
      out.add(entry(competitionId, seq).orElseThrow(() -> new IllegalStateException(
          "ledger corrupt: competition " + competitionId + " lead " + seq + " has no entry")));
    }
    return out;
  }

  static byte[] prefix(String competitionId) {
    byte[] id = competitionId.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[id.length + 1];
    System.arraycopy(id, 0, p, 0, id.length);
    return p;
  }

  static byte[] key(String competitionId, long seq) {
    byte[] p = prefix(competitionId);
    return ByteBuffer.allocate(p.length + Long.BYTES).put(p).putLong(seq).array();
  }

  private static long seqOf(byte[] key) {
    return ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
  }

  static byte[] encode(CompetitionEntry e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.write(e.submitter().bytes());
      out.writeDouble(e.rawScore());
      out.writeLong(e.submittedMs());
      out.writeBoolean(e.tookLead());
      out.writeUTF(e.payloadSha256());
      byte[] signature = e.signature();
      out.writeInt(signature.length);
      out.write(signature);
      out.writeInt(e.details().size());
      for (Map.Entry<String, Double> d : e.details().entrySet()) {
        out.writeUTF(d.getKey());
        out.writeDouble(d.getValue());
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }

  static CompetitionEntry decode(String competitionId, byte[] key, byte[] value) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalStateException("competition entry of unknown format " + format);
      }
      PublicKey submitter = new PublicKey(in.readNBytes(PublicKey.LENGTH));
      double raw = in.readDouble();
      long submittedMs = in.readLong();
      boolean tookLead = in.readBoolean();
      String sha = in.readUTF();
      int sigLength = in.readInt();
      if (sigLength < 0 || sigLength > 1024) {
        throw new IllegalStateException("competition entry with a " + sigLength + "-byte signature");
      }
      byte[] signature = in.readNBytes(sigLength);
      int n = in.readInt();
      Map<String, Double> details = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        details.put(in.readUTF(), in.readDouble());
      }
      return new CompetitionEntry(competitionId, seqOf(key), submitter, raw, details, submittedMs, tookLead, sha,
          signature);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("ledger corrupt: competition " + competitionId + " entry " + seqOf(key)
          + " cannot be read: " + e.getMessage(), e);
    }
  }
}
