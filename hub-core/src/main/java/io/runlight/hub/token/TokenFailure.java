package io.runlight.hub.token;

/**
 * Why a presented token was refused.
 */
public enum TokenFailure
{
    /** Not a token at all, or its checksum is wrong: refused without any lookup. */
    MALFORMED,
    /** Well formed but not (or no longer) known: never issued, or deleted. */
    UNKNOWN,
    /** Known but past its expiry. */
    EXPIRED,
    /** Too many failures from the caller's address: refused without checking. */
    RATE_LIMITED
}
