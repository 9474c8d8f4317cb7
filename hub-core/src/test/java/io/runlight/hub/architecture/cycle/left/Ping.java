package io.runlight.hub.architecture.cycle.left;

import io.runlight.hub.architecture.cycle.right.Pong;

/**
 * One half of a deliberate package cycle: the architecture tests check that the
 * cycle rule catches it.
 */
public record Ping(Pong answer) {}
