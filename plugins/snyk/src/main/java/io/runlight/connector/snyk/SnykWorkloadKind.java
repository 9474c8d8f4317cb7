package io.runlight.connector.snyk;

import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The workload kinds Snyk's Kubernetes monitor accepts, spelled as it expects them.
 * The monitor compares kinds case-insensitively and drops any other kind.
 */
enum SnykWorkloadKind
{
    DEPLOYMENT("Deployment"),
    REPLICA_SET("ReplicaSet"),
    STATEFUL_SET("StatefulSet"),
    DAEMON_SET("DaemonSet"),
    JOB("Job"),
    CRON_JOB("CronJob"),
    REPLICATION_CONTROLLER("ReplicationController"),
    DEPLOYMENT_CONFIG("DeploymentConfig"),
    POD("Pod"),
    ROLLOUT("Rollout");

    private final String wireName;

    SnykWorkloadKind(String wireName)
    {
        this.wireName = wireName;
    }

    /** The kind as the monitor writes it, for example {@code StatefulSet}. */
    String wireName()
    {
        return wireName;
    }

    /**
     * The Snyk kind for a Kubernetes workload kind, ignoring case, surrounding blanks,
     * and {@code -} or {@code _} between words ({@code stateful-set}, {@code DAEMON_SET});
     * empty for any kind the monitor does not know.
     */
    static Optional<SnykWorkloadKind> fromKind(String kind)
    {
        requireNonNull(kind, "kind is null");
        String folded = kind.strip().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        for (SnykWorkloadKind candidate : values()) {
            if (candidate.wireName.toLowerCase(Locale.ROOT).equals(folded)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
