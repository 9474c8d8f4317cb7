package io.runlight.insights.sbom;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;

import static java.util.Objects.requireNonNull;

/**
 * Counts what one document makes a reader hold (packages, owned files, file entries,
 * relationships) against {@link io.runlight.insights.input.InputLimits#maxItems()}, so a
 * hostile document cannot grow memory without bound even when it stays under the byte limit.
 */
final class ItemBudget
{
    private final DocumentFormat format;
    private final long maxItems;
    private long count;

    ItemBudget(DocumentFormat format, long maxItems)
    {
        this.format = requireNonNull(format, "format is null");
        this.maxItems = maxItems;
    }

    /** Counts one item found at {@code location}. */
    void add(String location)
    {
        add(location, 1);
    }

    /** Counts {@code items} items found at {@code location}. */
    void add(String location, long items)
    {
        count += items;
        if (count > maxItems) {
            throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), location,
                    "the document has more than " + maxItems + " items (packages, files, relationships), the limit");
        }
    }
}
