package io.runlight.hub.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a JWT lets its bearer do (API.md, Authentication). {@link #ADMIN} implies the
 * other two; {@link #INGEST} does not imply {@link #READ}, so a collector's credentials
 * cannot read back what the hub knows.
 */
public enum Role
{
    ADMIN,
    INGEST,
    READ;

    /** Whether holding this role grants {@code required}. */
    public boolean implies(Role required)
    {
        return this == ADMIN || this == required;
    }

    /** The claim value: {@code admin}, {@code ingest} or {@code read}. */
    public String claimValue()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a claim value names, in any case; empty for a value that is not one of ours. */
    public static Optional<Role> fromClaim(String value)
    {
        if (value != null) {
            for (Role role : values()) {
                if (role.name().equalsIgnoreCase(value.strip())) {
                    return Optional.of(role);
                }
            }
        }
        return Optional.empty();
    }

    /** Like {@link #fromClaim} but for user input: an unknown value is an error that lists the choices. */
    public static Role parse(String value)
    {
        return fromClaim(value).orElseThrow(() -> new IllegalArgumentException("role '" + value + "' is not known: use admin, ingest or read"));
    }
}
