package network.subnet.validator.ledger;

import network.subnet.node.identity.PublicKey;

/** A miner's standing: credits over all epochs (closed and current), and its accepted and rejected results. */
public record MinerStats(PublicKey miner, long credits, long resultsAccepted, long resultsRejected) {}
