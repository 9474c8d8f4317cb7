package io.runlight.hub.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;


/**
 * A hand-written {@link PushTargets}: integrations that may push are the ones put here;
 * paused ones are removed and put back. Records every success and failure it is told of.
 */
final class FakePushTargets
        implements PushTargets
{
    private final Map<String, PushTarget> active = new ConcurrentSkipListMap<>();
    private final List<Report> reports = new CopyOnWriteArrayList<>();

    void activate(PushTarget target)
    {
        active.put(target.integrationId(), target);
    }

    void pause(String integrationId)
    {
        active.remove(integrationId);
    }

    @Override
    public List<PushTarget> activePushTargets()
    {
        return List.copyOf(active.values());
    }

    @Override
    public Optional<PushTarget> pushTarget(String integrationId)
    {
        return Optional.ofNullable(active.get(integrationId));
    }

    @Override
    public void deliverySucceeded(String integrationId, Instant at)
    {
        reports.add(new Report(integrationId, true, ""));
    }

    @Override
    public void deliveryFailed(String integrationId, Instant at, String reason)
    {
        reports.add(new Report(integrationId, false, reason));
    }

    List<Report> reports(String integrationId)
    {
        List<Report> matching = new ArrayList<>();
        for (Report report : reports) {
            if (report.integrationId().equals(integrationId)) {
                matching.add(report);
            }
        }
        return matching;
    }

    List<String> failures(String integrationId)
    {
        return reports(integrationId).stream().filter(report -> !report.success()).map(Report::reason).toList();
    }

    long successes(String integrationId)
    {
        return reports(integrationId).stream().filter(Report::success).count();
    }

    record Report(String integrationId, boolean success, String reason) {}
}
