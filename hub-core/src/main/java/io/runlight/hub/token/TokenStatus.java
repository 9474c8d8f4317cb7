package io.runlight.hub.token;

/**
 * A token's state, derived from its expiry and the clock; never stored, so it cannot go stale.
 */
public enum TokenStatus
{
    ACTIVE,
    EXPIRED
}
