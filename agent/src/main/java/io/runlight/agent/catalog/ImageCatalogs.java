package io.runlight.agent.catalog;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.agent.delivery.HubConnection;
import io.runlight.agent.delivery.HubRefusalException;
import io.runlight.agent.delivery.HubUnavailableException;
import io.runlight.insights.catalog.Catalog;
import io.runlight.insights.catalog.Cataloger;
import io.runlight.insights.catalog.CycloneDxCatalogWriter;
import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.ImageIdentity;

import static java.util.Objects.requireNonNull;

/**
 * Makes sure the hub has an SBOM of every image the agent sees running: once per digest, it
 * asks the hub first (another node's agent, or CI, may have sent one), and only when the hub
 * has none catalogs the image's files where a running container shows them
 * ({@code /proc/<pid>/root}) and uploads the CycloneDX. A digest whose catalog or upload failed
 * is tried again after {@code retryAfter}; one the hub refused (4xx) is not tried again until
 * the agent restarts. Not thread-safe: one agent loop owns it.
 */
public final class ImageCatalogs
{
    private static final Logger log = LoggerFactory.getLogger(ImageCatalogs.class);

    private final HubConnection hub;
    private final Cataloger cataloger;
    private final CycloneDxCatalogWriter writer;
    private final Duration retryAfter;
    private final Set<String> done = new HashSet<>();
    private final Map<String, Instant> failedAt = new HashMap<>();

    public ImageCatalogs(HubConnection hub, Cataloger cataloger, CycloneDxCatalogWriter writer, Duration retryAfter)
    {
        this.hub = requireNonNull(hub, "hub is null");
        this.cataloger = requireNonNull(cataloger, "cataloger is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
    }

    /**
     * Sees to each image: asks, catalogs and uploads what the hub lacks.
     *
     * @return what happened to each digest that was not settled before
     */
    public List<Outcome> ensure(List<CatalogRequest> images, Instant now)
    {
        Map<String, Outcome> outcomes = new HashMap<>();
        for (CatalogRequest image : images) {
            String digest = image.digest().value();
            if (done.contains(digest) || outcomes.containsKey(digest)) {
                continue;
            }
            Instant failed = failedAt.get(digest);
            if (failed != null && Duration.between(failed, now).compareTo(retryAfter) < 0) {
                continue;
            }
            outcomes.put(digest, ensure(image, now));
        }
        return outcomes.values().stream().sorted((left, right) -> left.digest().compareTo(right.digest())).toList();
    }

    /** Whether the hub is known to have an SBOM of this digest, from this agent or another source. */
    public boolean settled(String digest)
    {
        return done.contains(digest);
    }

    private Outcome ensure(CatalogRequest image, Instant now)
    {
        String digest = image.digest().value();
        try {
            if (hub.hasSbom(image.digest())) {
                done.add(digest);
                failedAt.remove(digest);
                return new Outcome(digest, Result.HUB_HAD_IT, 0, "");
            }
            Catalog catalog = cataloger.catalogRootFolder(image.root(), new ImageIdentity(List.of(image.digest()), image.name().stream().toList()),
                    image.excluded());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(catalog, out);
            hub.postSbom(image.digest(), out.toByteArray());
            done.add(digest);
            failedAt.remove(digest);
            log.info("Cataloged image '{}' ({} packages) from '{}' and sent its SBOM", digest, catalog.packages().size(), image.root());
            return new Outcome(digest, Result.UPLOADED, catalog.packages().size(), "");
        }
        catch (HubUnavailableException | InputException | java.io.UncheckedIOException e) {
            failedAt.put(digest, now);
            log.warn("Cannot catalog image '{}' from '{}' now, trying again in {}: {}", digest, image.root(), retryAfter, e.getMessage());
            return new Outcome(digest, Result.FAILED, 0, e.getMessage());
        }
        catch (HubRefusalException e) {
            if (e.isAuthentication()) {
                failedAt.put(digest, now);
                log.error("The hub refused the agent's token while it saw to image '{}'; trying again in {}: {}", digest, retryAfter, e.getMessage());
                return new Outcome(digest, Result.FAILED, 0, e.getMessage());
            }
            done.add(digest);
            log.error("The hub refused the SBOM of image '{}'; it is not sent again until the agent restarts: {}", digest, e.getMessage());
            return new Outcome(digest, Result.REFUSED, 0, e.getMessage());
        }
    }

    /** What became of one image. */
    public enum Result
    {
        HUB_HAD_IT, UPLOADED, FAILED, REFUSED
    }

    /**
     * @param digest the image
     * @param result what happened
     * @param packages how many packages the catalog found, when it was made
     * @param problem why it failed, or empty
     */
    public record Outcome(String digest, Result result, int packages, String problem)
    {
        public Outcome
        {
            requireNonNull(digest, "digest is null");
            requireNonNull(result, "result is null");
            requireNonNull(problem, "problem is null");
        }

        /** The problem, if any. */
        public Optional<String> failure()
        {
            return problem.isEmpty() ? Optional.empty() : Optional.of(problem);
        }
    }
}
