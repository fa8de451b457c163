package network.subnet.node.api;

/** ACCEPTED: stored, credited once replicas agree. DUPLICATE: already accepted before; nothing changed. */
public record SubmitOutcome(Status status, String message) {
  public enum Status {
    ACCEPTED,
    DUPLICATE
  }
}
