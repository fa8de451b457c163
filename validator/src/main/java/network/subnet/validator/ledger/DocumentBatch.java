package network.subnet.validator.ledger;

import java.util.List;
import network.subnet.validator.tasks.Task;

/**
 * One step of a dataset import, written in one atomic batch: the documents taken (each with the tasks cut from it,
 * in window order) and the file position after them. A crash either keeps all of it or none, so a restart resumes at
 * the stored position and never issues a document twice.
 */
public record DocumentBatch(DatasetPosition position, List<Document> documents) {

  /** One document taken from the dataset and the tasks cut from it. */
  public record Document(String id, String location, List<Task> tasks) {}

  public DocumentBatch {
    documents = List.copyOf(documents);
  }
}
