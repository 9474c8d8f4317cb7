package io.runlight.hub.integration;

import io.runlight.hub.token.CreatedToken;

import static java.util.Objects.requireNonNull;

/**
 * An integration just created, with its token: the only time the token's secret is
 * available. {@link #toString()} never shows it.
 */
public record CreatedIntegration(IntegrationDetails details, CreatedToken token)
{
    public CreatedIntegration
    {
        requireNonNull(details, "details is null");
        requireNonNull(token, "token is null");
    }
}
