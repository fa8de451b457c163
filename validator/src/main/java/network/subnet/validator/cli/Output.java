package network.subnet.validator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import network.subnet.node.api.ApiException;

/** Formatting shared by the query commands. */
final class Output {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Output() {}

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON: " + e.getMessage(), e);
    }
  }

  static String time(long ms) {
    return ms <= 0 ? "-" : Instant.ofEpochMilli(ms).toString();
  }

  /** A one-line explanation of a failed query for stderr. */
  static String error(RuntimeException e, String validator) {
    if (e instanceof ApiException api) {
      return switch (api.code()) {
        case UNAVAILABLE -> "error: cannot reach the validator at " + validator + ": " + api.getMessage();
        case DEADLINE_EXCEEDED -> "error: the validator at " + validator + " did not answer in time";
        default -> "error: " + api.getMessage();
      };
    }
    return "error: " + e.getMessage();
  }
}
