package io.runlight.insights.correlate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.insights.vuln.PackageCoordinates;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.Purl;

/**
 * An SBOM's packages as the verdicts see them: one entry per distinct purl (an SBOM
 * may list the same package at two locations; it gets one verdict), ordered by purl,
 * with the lookups that join scan findings to them.
 *
 * <p>Join order: the finding's purl in canonical form (qualifiers sorted, so their order
 * does not matter); then the purl without qualifiers and subpath (a scanner that omits
 * {@code arch} or adds {@code upstream}); then type, name and version; without a type,
 * name and version alone. A finding may match several entries (the same package for two
 * architectures): it applies to each.
 */
final class PackageCatalog
{
    private final List<InstalledPackage> packages = new ArrayList<>();
    private final List<String> purls = new ArrayList<>();
    private final List<List<String>> ids = new ArrayList<>();
    private final Map<String, Integer> byId = new HashMap<>();
    private final Map<String, Integer> byPurl = new HashMap<>();
    private final Map<String, List<Integer>> byBarePurl = new HashMap<>();
    private final Map<String, List<Integer>> byCoordinates = new HashMap<>();
    private final Map<String, List<Integer>> byNameAndVersion = new HashMap<>();

    PackageCatalog(Sbom sbom)
    {
        TreeMap<String, List<SbomPackage>> grouped = new TreeMap<>();
        for (SbomPackage sbomPackage : sbom.packages()) {
            grouped.computeIfAbsent(sbomPackage.pkg().purl().toString(), key -> new ArrayList<>()).add(sbomPackage);
        }
        for (Map.Entry<String, List<SbomPackage>> entry : grouped.entrySet()) {
            int index = packages.size();
            InstalledPackage pkg = entry.getValue().get(0).pkg();
            packages.add(pkg);
            purls.add(entry.getKey());
            ids.add(entry.getValue().stream().map(SbomPackage::id).toList());
            byPurl.put(entry.getKey(), index);
            byBarePurl.computeIfAbsent(pkg.purl().withoutQualifiers().toString(), key -> new ArrayList<>()).add(index);
            byCoordinates.computeIfAbsent(coordinates(pkg.type().purlType(), pkg.name(), pkg.version()), key -> new ArrayList<>()).add(index);
            byNameAndVersion.computeIfAbsent(nameAndVersion(pkg.name(), pkg.version()), key -> new ArrayList<>()).add(index);
            for (SbomPackage sbomPackage : entry.getValue()) {
                byId.put(sbomPackage.id(), index);
            }
        }
    }

    int size()
    {
        return packages.size();
    }

    InstalledPackage pkg(int index)
    {
        return packages.get(index);
    }

    /** The ids of the SBOM packages an entry stands for (several when the SBOM lists one purl twice). */
    List<String> ids(int index)
    {
        return ids.get(index);
    }

    String purl(int index)
    {
        return purls.get(index);
    }

    /** The entry of an SBOM package id, or -1. */
    int indexOfId(String packageId)
    {
        Integer index = byId.get(packageId);
        return index == null ? -1 : index;
    }

    /** The entries a finding's package joins to, in purl order; empty if it is not in the SBOM. */
    List<Integer> match(PackageCoordinates coordinates)
    {
        if (coordinates.purl().isPresent()) {
            Purl purl = coordinates.purl().get();
            Integer exact = byPurl.get(purl.toString());
            if (exact != null) {
                return List.of(exact);
            }
            List<Integer> bare = byBarePurl.get(purl.withoutQualifiers().toString());
            if (bare != null) {
                return bare;
            }
        }
        if (coordinates.type().isPresent()) {
            return byCoordinates.getOrDefault(coordinates(coordinates.type().get().purlType(), coordinates.name(), coordinates.version()), List.of());
        }
        return byNameAndVersion.getOrDefault(nameAndVersion(coordinates.name(), coordinates.version()), List.of());
    }

    private static String coordinates(String type, String name, String version)
    {
        return type.toLowerCase(Locale.ROOT) + '\0' + name + '\0' + version;
    }

    private static String nameAndVersion(String name, String version)
    {
        return name + '\0' + version;
    }
}
