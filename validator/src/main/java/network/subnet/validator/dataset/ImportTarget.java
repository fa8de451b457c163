package network.subnet.validator.dataset;

import java.util.Optional;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ledger.DatasetPosition;
import network.subnet.validator.ledger.DocumentBatch;

/** Where an import's documents go and what it has already taken: the validator's ledger and task pool. */
public interface ImportTarget {

  Optional<DatasetPosition> position(String source);

  boolean hasDocument(String documentId);

  /** Stores one step atomically; returns how many of its tasks were new. */
  int store(DocumentBatch batch);

  static ImportTarget of(ValidatorNode node) {
    return new ImportTarget() {
      @Override
      public Optional<DatasetPosition> position(String source) {
        return node.ledger().datasetPosition(source);
      }

      @Override
      public boolean hasDocument(String documentId) {
        return node.ledger().hasDocument(documentId);
      }

      @Override
      public int store(DocumentBatch batch) {
        return node.importDocuments(batch);
      }
    };
  }
}
