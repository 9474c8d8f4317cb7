package io.runlight.hub.insights;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The scan reports stored for one digest: the latest per format, since a new scan
 * by the same scanner replaces the previous one.
 *
 * @param documents at most one per format, ordered by format
 */
public record ReportIndex(List<StoredDocument> documents)
{
    public ReportIndex
    {
        List<StoredDocument> sorted = new ArrayList<>(requireNonNull(documents, "documents is null"));
        sorted.sort(Comparator.comparing(StoredDocument::format));
        documents = List.copyOf(sorted);
    }

    /** This index with the document replacing any earlier one of the same format. */
    public ReportIndex with(StoredDocument document)
    {
        List<StoredDocument> updated = new ArrayList<>(documents);
        updated.removeIf(existing -> existing.format().equals(document.format()));
        updated.add(document);
        return new ReportIndex(updated);
    }
}
