package network.subnet.validator.tasks;

/** One document's text and where it came from ({@code location} is "file:line" or "file:row"), for error messages. */
public record TextDocument(String location, String text) {}
