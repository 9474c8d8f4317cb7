package io.runlight.plugin.api.connector;

/**
 * What a connector does.
 */
public enum Capability
{
    /** Delivers insights changes to another platform through the hub's outbox. */
    PUSH,
    /** Answers requests from another platform on routes it declares. */
    SERVE
}
