package io.runlight.insights.correlate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.insights.index.CodeFileClassifier;
import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;

/**
 * What was seen of one package (in one container, or merged over an image): whether a
 * load counted, the strongest confidence of those loads, and its evidence, merged per
 * (kind, path, process). Mutable, confined to one analysis.
 */
final class PackageUse
{
    /** Loads first (exec, mmap, opens of code), then by path, kind and process. */
    static final Comparator<Evidence> EVIDENCE_ORDER = Comparator
            .comparing((Evidence evidence) -> isLoad(evidence) ? 0 : 1)
            .thenComparing(Evidence::path)
            .thenComparing(Evidence::kind)
            .thenComparing(evidence -> evidence.process().orElse(""));

    private final Map<EvidenceKey, Evidence> evidence = new HashMap<>();
    private Confidence confidence;

    void record(Evidence observed, boolean counts, Confidence claim)
    {
        if (counts && (confidence == null || claim.compareTo(confidence) < 0)) {
            confidence = claim;
        }
        evidence.merge(new EvidenceKey(observed.kind(), observed.path(), observed.process()), observed, Evidence::merge);
    }

    void addAll(PackageUse other)
    {
        if (other.confidence != null && (confidence == null || other.confidence.compareTo(confidence) < 0)) {
            confidence = other.confidence;
        }
        for (Map.Entry<EvidenceKey, Evidence> entry : other.evidence.entrySet()) {
            evidence.merge(entry.getKey(), entry.getValue(), Evidence::merge);
        }
    }

    boolean inUse()
    {
        return confidence != null;
    }

    Optional<Confidence> confidence()
    {
        return Optional.ofNullable(confidence);
    }

    /** The evidence in {@link #EVIDENCE_ORDER}, at most {@code limit} records. */
    List<Evidence> evidence(int limit)
    {
        List<Evidence> sorted = new ArrayList<>(evidence.values());
        sorted.sort(EVIDENCE_ORDER);
        return sorted.size() <= limit ? sorted : sorted.subList(0, limit);
    }

    static boolean isLoad(Evidence evidence)
    {
        return evidence.kind() != EvidenceKind.OPEN || CodeFileClassifier.isCode(evidence.path());
    }

    private record EvidenceKey(EvidenceKind kind, String path, Optional<String> process) {}
}
