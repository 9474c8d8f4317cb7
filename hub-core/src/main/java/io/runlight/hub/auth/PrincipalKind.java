package io.runlight.hub.auth;

/**
 * How a caller authenticated, which decides what it may reach: a JWT reaches endpoints by
 * role, an ingest token the ingest endpoints only, an integration token only its own
 * integration's serve routes.
 */
public enum PrincipalKind
{
    JWT,
    INGEST_TOKEN,
    INTEGRATION_TOKEN
}
