package io.runlight.plugin.api.connector;

import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Which page of a listing to return.
 *
 * @param limit how many items at most, 1..1000
 * @param cursor the {@link Page#next()} of the previous page; empty for the first page
 */
public record PageRequest(int limit, Optional<String> cursor)
{
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    public PageRequest
    {
        checkArgument(limit >= 1 && limit <= MAX_LIMIT, "limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        requireNonNull(cursor, "cursor is null");
        cursor = cursor.filter(value -> !value.isEmpty());
    }

    public static PageRequest first(int limit)
    {
        return new PageRequest(limit, Optional.empty());
    }
}
