package io.runlight.connector.snyk;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;

import static java.util.Objects.requireNonNull;

/**
 * Builds the items of Snyk's runtime-images format (formats/snyk.md, section A): one
 * item per workload container, with the packages that container loaded. Serve and
 * push send the very same items.
 */
final class RuntimeImageItems
{
    private final ObjectMapper mapper;

    RuntimeImageItems(ObjectMapper mapper)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * The item of one workload container; empty when its workload kind is not one the
     * monitor accepts (the monitor would drop the item, so it is not sent at all).
     */
    Optional<ObjectNode> item(WorkloadInsights insights)
    {
        requireNonNull(insights, "insights is null");
        Workload workload = insights.workload();
        Optional<SnykWorkloadKind> kind = SnykWorkloadKind.fromKind(workload.kind());
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode item = mapper.createObjectNode();
        item.put("imageID", insights.imageDigest().value());
        item.put("namespace", workload.namespace());
        item.put("workloadName", workload.name());
        item.put("workloadKind", kind.get().wireName());
        item.put("container", workload.container());
        ArrayNode packages = item.putArray("packages");
        for (PackageInsight insight : insights.packagesInUse()) {
            if (insight.usage() == Usage.IN_USE) {
                packages.add(packageNode(insight.pkg()));
            }
        }
        return Optional.of(item);
    }

    private ObjectNode packageNode(InstalledPackage pkg)
    {
        ObjectNode node = mapper.createObjectNode();
        node.put("purl", pkg.purl().toString());
        node.put("name", pkg.name());
        node.put("version", pkg.version());
        // Runlight's packages come from package databases and manifests (dpkg, apk, rpm,
        // package.json, RECORD, pom.properties, Go build info), never from file heuristics
        node.put("installedViaPackageManager", true);
        if (pkg.type().isOperatingSystem()) {
            OsInfo os = pkg.os().orElseGet(() -> osFromPurl(pkg.purl()));
            node.put("osFamily", os.family());
            node.put("osVersion", os.version());
            node.put("arch", os.arch().or(() -> pkg.purl().qualifier("arch")).orElse(""));
        }
        else {
            node.put("type", pkg.purl().type());
        }
        return node;
    }

    // an OS package whose SBOM gave no distro: read it back from the purl's namespace and distro qualifier
    private static OsInfo osFromPurl(Purl purl)
    {
        String family = purl.namespace().orElse(purl.type());
        String version = purl.qualifier("distro")
                .map(distro -> distro.startsWith(family + "-") ? distro.substring(family.length() + 1) : distro)
                .orElse("");
        return new OsInfo(family, version, purl.qualifier("arch"));
    }
}
