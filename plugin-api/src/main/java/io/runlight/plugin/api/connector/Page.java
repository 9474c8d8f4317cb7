package io.runlight.plugin.api.connector;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One page of a listing. Cursors are opaque, URL-safe, and stay valid while data
 * changes: an item added between two requests is neither skipped nor repeated.
 *
 * @param items the items of this page
 * @param next the cursor of the next page; empty on the last page
 * @param <T> the item type
 */
public record Page<T>(List<T> items, Optional<String> next)
{
    public Page
    {
        items = List.copyOf(requireNonNull(items, "items is null"));
        requireNonNull(next, "next is null");
    }
}
