package io.runlight.hub.token;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of presenting an opaque token: the token it is, or why it was refused.
 */
public sealed interface TokenAuthentication
        permits TokenAuthentication.Accepted, TokenAuthentication.Refused
{
    /** The presented secret belongs to this active token. */
    record Accepted(TokenRecord token)
            implements TokenAuthentication
    {
        public Accepted
        {
            requireNonNull(token, "token is null");
        }
    }

    /** The presented secret was refused. */
    record Refused(TokenFailure reason)
            implements TokenAuthentication
    {
        public Refused
        {
            requireNonNull(reason, "reason is null");
        }
    }
}
