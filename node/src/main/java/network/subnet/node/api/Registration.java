package network.subnet.node.api;

import network.subnet.node.identity.PublicKey;

/** The validator's answer to a registration. */
public record Registration(PublicKey minerKey, PublicKey validatorKey, long serverTimeMs, long heartbeatIntervalMs) {}
