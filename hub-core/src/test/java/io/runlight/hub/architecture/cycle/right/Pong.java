package io.runlight.hub.architecture.cycle.right;

import io.runlight.hub.architecture.cycle.left.Ping;

/**
 * The other half of the deliberate package cycle started by {@link Ping}.
 */
public record Pong(Ping question) {}
