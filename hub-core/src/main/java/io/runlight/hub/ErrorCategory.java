package io.runlight.hub;

/**
 * Whose fault a failure is (CONTRIBUTING.md, style 7). The HTTP edge answers from it: the
 * user's fault is a 4xx with the exception's message, an external system's a 502 with its
 * message, a passing state of the hub's a 503 with its message and a {@code Retry-After}, ours
 * a 500 with a generic message (the details go to the log).
 */
public enum ErrorCategory
{
    /** A bad request or configuration: the caller can fix it, and the message says how. */
    USER,
    /** A system outside the hub failed: a plugin's code, Snyk, Docker Scout, a webhook receiver. */
    EXTERNAL,
    /**
     * The hub cannot answer this yet and will shortly, without anyone doing anything: it is
     * building a view after its start, or putting back entries lost with other members.
     */
    UNAVAILABLE,
    /** The hub itself failed: a bug, or its own database. */
    INTERNAL,
}
