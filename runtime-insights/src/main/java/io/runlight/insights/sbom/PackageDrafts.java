package io.runlight.insights.sbom;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.runlight.plugin.api.OsInfo;

/**
 * The packages of one document in document order, finished together once the document
 * has been read. Ids are made unique ({@code id}, {@code id#2}, ...) because some scanners
 * repeat one (Trivy lists the same package ID for two copies of a jar).
 */
final class PackageDrafts
{
    private final List<PackageDraft> drafts = new ArrayList<>();

    void add(PackageDraft draft)
    {
        drafts.add(draft);
    }

    /**
     * @param documentOs the distribution the document names, if any
     * @param linkedFiles files linked to a package id by relationships
     */
    List<SbomPackage> build(Optional<OsInfo> documentOs, Function<String, List<String>> linkedFiles)
    {
        Set<String> used = new HashSet<>();
        List<SbomPackage> packages = new ArrayList<>(drafts.size());
        for (PackageDraft draft : drafts) {
            String id = draft.id();
            int suffix = 2;
            while (!used.add(id)) {
                id = draft.id() + "#" + suffix;
                suffix++;
            }
            packages.add(draft.build(id, documentOs, linkedFiles.apply(draft.id())));
        }
        return packages;
    }

    List<SbomPackage> build(Optional<OsInfo> documentOs)
    {
        return build(documentOs, id -> List.of());
    }
}
