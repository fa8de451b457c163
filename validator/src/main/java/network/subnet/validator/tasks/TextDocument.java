package network.subnet.validator.tasks;

/**
 * One document: its id (the source's own {@code id} field where it has one, else its location), where it came from
 * ({@code location} is "file:line" or "file:row", for error messages) and its text.
 */
public record TextDocument(String id, String location, String text) {

  /** A document without an id of its own: its location stands in for it. */
  public TextDocument(String location, String text) {
    this(location, location, text);
  }
}
