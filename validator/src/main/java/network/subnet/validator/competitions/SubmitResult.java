package network.subnet.validator.competitions;

/** What a submission came to: its stored entry, the score it had to reach to take the lead, and a short verdict. */
public record SubmitResult(CompetitionEntry entry, double threshold, String message) {}
