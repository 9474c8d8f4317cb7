package io.runlight.hub.fleet;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One page of the fleet-wide list.
 *
 * @param items the rows of this page, in rank order
 * @param next the cursor of the next page; empty on the last page
 * @param summary the counts of every row the query selects (before its usage filter)
 */
public record FleetPage(List<FleetVulnerability> items, Optional<String> next, FleetSummary summary)
{
    public FleetPage
    {
        items = List.copyOf(requireNonNull(items, "items is null"));
        requireNonNull(next, "next is null");
        requireNonNull(summary, "summary is null");
    }
}
