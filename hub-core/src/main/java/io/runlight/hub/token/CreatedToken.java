package io.runlight.hub.token;

import static java.util.Objects.requireNonNull;

/**
 * A token just created: its record and its secret. This is the only time the secret
 * exists outside the caller who presents it, so {@link #toString()} never shows it.
 */
public record CreatedToken(TokenRecord record, String secret)
{
    public CreatedToken
    {
        requireNonNull(record, "record is null");
        requireNonNull(secret, "secret is null");
    }

    @Override
    public String toString()
    {
        return "CreatedToken[record=" + record + ", secret=" + record.prefix() + "…]";
    }
}
