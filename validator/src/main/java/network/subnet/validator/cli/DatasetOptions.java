package network.subnet.validator.cli;

import network.subnet.validator.dataset.Sampling;
import picocli.CommandLine.Option;

/** How the validator samples the text datasets it imports. */
public final class DatasetOptions {

  @Option(names = "--sample-rate", paramLabel = "P", defaultValue = "1.0",
      description = "Fraction of documents to take, chosen by a hash of the document id (default: ${DEFAULT-VALUE}).")
  double sampleRate = 1.0;

  @Option(names = "--sample-seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of the document sample; another seed picks another sample (default: ${DEFAULT-VALUE}).")
  long sampleSeed;

  public Sampling sampling() {
    return new Sampling(sampleRate, sampleSeed);
  }
}
