package io.runlight.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.agent.attribution.ContainerAttribution;
import io.runlight.agent.attribution.HostIdentity;
import io.runlight.agent.attribution.Workload;
import io.runlight.agent.catalog.CatalogRequest;
import io.runlight.agent.catalog.ImageCatalogs;
import io.runlight.agent.delivery.EventLines;
import io.runlight.agent.delivery.HubConnection;
import io.runlight.agent.delivery.HubRefusalException;
import io.runlight.agent.delivery.HubUnavailableException;
import io.runlight.agent.delivery.Observation;
import io.runlight.agent.delivery.ObservationBuffer;
import io.runlight.agent.proc.ContainerRef;
import io.runlight.agent.proc.FileUse;
import io.runlight.agent.proc.ProcSampler;
import io.runlight.agent.proc.ProcessSample;

import static java.util.Objects.requireNonNull;

/**
 * One node's agent: each round samples every process, names its workload (a container through
 * the attribution sources, in order; a host process as the host), buffers what is new, sends
 * the buffer to the hub in batches, and has the images it saw cataloged when the hub has no
 * SBOM of them. A hub that is away leaves the buffer waiting for the next round.
 */
public final class Agent
{
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final AgentSettings settings;
    private final ProcSampler sampler;
    private final List<ContainerAttribution> attributions;
    private final HostIdentity host;
    private final ObservationBuffer buffer;
    private final EventLines lines;
    private final HubConnection hub;
    private final Optional<ImageCatalogs> catalogs;
    private final Clock clock;
    private final Set<String> unattributedWarned = new LinkedHashSet<>();
    private boolean hubWasAway;

    public Agent(AgentSettings settings, ProcSampler sampler, List<ContainerAttribution> attributions, HostIdentity host, ObservationBuffer buffer,
            HubConnection hub, Optional<ImageCatalogs> catalogs, Clock clock)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.sampler = requireNonNull(sampler, "sampler is null");
        this.attributions = List.copyOf(requireNonNull(attributions, "attributions is null"));
        this.host = requireNonNull(host, "host is null");
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.lines = new EventLines(settings.cluster());
        this.hub = requireNonNull(hub, "hub is null");
        this.catalogs = requireNonNull(catalogs, "catalogs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One round: sample, buffer, deliver, catalog. */
    public Round runOnce()
    {
        Instant now = clock.instant();
        ProcSampler.Sample sample = sampler.sample();
        Map<String, CatalogRequest> images = new LinkedHashMap<>();
        Set<String> containers = new LinkedHashSet<>();
        Set<String> unattributed = new LinkedHashSet<>();
        for (ProcessSample process : sample.processes()) {
            Optional<Workload> workload = workload(process);
            if (workload.isEmpty()) {
                process.container().map(ContainerRef::qualifiedId).ifPresent(unattributed::add);
                continue;
            }
            containers.add(workload.get().containerId());
            for (FileUse use : process.files()) {
                buffer.observe(workload.get(), use, process.executable(), now);
            }
            images.computeIfAbsent(workload.get().imageDigest().value(), digest -> process.container().isEmpty()
                    ? new CatalogRequest(host.digest(), Optional.of(host.image()), settings.hostRoot(), settings.hostExcluded())
                    : new CatalogRequest(workload.get().imageDigest(), workload.get().image(), process.root(), Set.of()));
        }
        warnUnattributed(unattributed);
        int sent = deliver(now);
        boolean reachable = !hubWasAway;
        List<ImageCatalogs.Outcome> cataloged = reachable && catalogs.isPresent()
                ? catalogs.get().ensure(new ArrayList<>(images.values()), now)
                : List.of();
        buffer.forgetBefore(now);
        return new Round(now, sample.processes().size(), sample.unreadable(), containers.size(), unattributed.size(), sent, buffer.pending(),
                buffer.dropped(), reachable, cataloged);
    }

    /** Sends what waits, batch by batch, until the buffer is empty or the hub does not take more. */
    public int deliver(Instant now)
    {
        int sent = 0;
        while (buffer.pending() > 0) {
            List<Observation> batch = buffer.next(settings.batchSize());
            try {
                hub.postEvents(lines.write(batch));
            }
            catch (HubUnavailableException e) {
                if (!hubWasAway) {
                    log.warn("The hub is away; {} observations wait (at most {}) and are sent when it answers: {}",
                            buffer.pending(), settings.bufferCapacity(), e.getMessage());
                }
                hubWasAway = true;
                return sent;
            }
            catch (HubRefusalException e) {
                if (e.isAuthentication()) {
                    log.error("The hub refused the agent's token; {} observations wait. Give an ingest token (`runlight token create --scope ingest`): {}",
                            buffer.pending(), e.getMessage());
                    hubWasAway = true;
                    return sent;
                }
                // the same batch would be refused again: it goes, so that the rest can follow
                log.error("The hub refused a batch of {} observations, which are dropped: {}", batch.size(), e.getMessage());
                buffer.acknowledged(batch, now);
                continue;
            }
            if (hubWasAway) {
                log.info("The hub at {} answers again; sending what waited", hub.base());
                hubWasAway = false;
            }
            buffer.acknowledged(batch, now);
            sent += batch.size();
        }
        hubWasAway = false;
        return sent;
    }

    /** Runs rounds every interval until the thread is interrupted. */
    public void run()
            throws InterruptedException
    {
        log.info("Runlight agent on host '{}' sampling '{}' every {} for the hub at {}", host.name(), settings.proc(), settings.interval(), hub.base());
        while (!Thread.currentThread().isInterrupted()) {
            Instant start = clock.instant();
            try {
                Round round = runOnce();
                log.debug("Round: {}", round);
            }
            catch (RuntimeException e) {
                // one bad round (a /proc that vanished, an attribution source down) must not end the agent
                log.error("A sampling round failed; the next one runs in {}", settings.interval(), e);
            }
            Duration spent = Duration.between(start, clock.instant());
            Duration rest = settings.interval().minus(spent);
            if (!rest.isNegative()) {
                Thread.sleep(rest.toMillis());
            }
        }
    }

    private Optional<Workload> workload(ProcessSample process)
    {
        if (process.container().isEmpty()) {
            return Optional.of(host.workload());
        }
        for (ContainerAttribution attribution : attributions) {
            Optional<Workload> workload = attribution.workload(process.container().get());
            if (workload.isPresent()) {
                return workload;
            }
        }
        return Optional.empty();
    }

    private void warnUnattributed(Set<String> unattributed)
    {
        for (String id : unattributed) {
            if (unattributedWarned.add(id)) {
                log.warn("Container '{}' is not known to {}; its processes are not reported until its image digest is known",
                        id, attributions.isEmpty() ? "any attribution source (give --docker-socket or --kubernetes-node)"
                                : String.join(" or ", attributions.stream().map(ContainerAttribution::description).toList()));
            }
        }
    }

    /**
     * What one round did.
     *
     * @param time when it sampled
     * @param processes processes that showed files
     * @param unreadable processes the agent may not read
     * @param containers workloads seen (containers and the host)
     * @param unattributed containers whose image is unknown, not reported
     * @param sent observations the hub took
     * @param pending observations waiting for the hub
     * @param dropped observations not kept since the start because the buffer was full
     * @param hubReachable whether the hub took everything that waited
     * @param cataloged what became of images not settled before
     */
    public record Round(Instant time, int processes, int unreadable, int containers, int unattributed, int sent, int pending, long dropped,
            boolean hubReachable, List<ImageCatalogs.Outcome> cataloged)
    {
        public Round
        {
            requireNonNull(time, "time is null");
            cataloged = List.copyOf(requireNonNull(cataloged, "cataloged is null"));
        }
    }
}
