package network.subnet.validator.tasks;

import network.subnet.node.api.TeacherSpec;

/** The part of a teacher that must match for results to be comparable: its weights and its tokenizer. */
public record TeacherId(String modelHash, String tokenizerHash) {

  public TeacherId {
    if (modelHash == null || modelHash.isBlank() || tokenizerHash == null || tokenizerHash.isBlank()) {
      throw new IllegalArgumentException("a teacher needs a model hash and a tokenizer hash");
    }
  }

  public static TeacherId of(TeacherSpec spec) {
    return new TeacherId(spec.modelHash(), spec.tokenizerHash());
  }
}
