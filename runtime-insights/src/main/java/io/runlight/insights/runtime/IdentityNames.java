package io.runlight.insights.runtime;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the identity fields of an event (cluster, namespace, workload, pod, container and
 * the runtime's ids) may hold. Every source's identity passes here before an event is
 * kept, so a name that reaches a profile, the console or a terminal never carries
 * control characters, terminal escapes, bidirectional overrides or unbounded length.
 * The rules follow what Kubernetes and container runtimes allow, a little wider where
 * sources outside Kubernetes name things (Docker container names have '_' and capitals).
 */
public final class IdentityNames
{
    /** The most characters of a cluster name, a pod or a workload: a DNS subdomain's. */
    public static final int MAX_NAME_LENGTH = 253;
    /** The most characters of a namespace: a DNS label's. */
    public static final int MAX_LABEL_LENGTH = 63;
    /** The most characters of an image reference or container id. */
    public static final int MAX_REFERENCE_LENGTH = 512;

    /** What a cluster name may hold, in words, for the messages that refuse one. */
    public static final String CLUSTER_NAME_RULE = "1 to 253 letters, digits, spaces, '.', '_', '-', ':' or '/', "
            + "starting with a letter or digit and not ending with a space";

    // letters, digits and the separators cluster names use: an EKS cluster ARN has ':' and '/', and
    // Snyk's monitor sends the cluster name its user typed, which may hold spaces ("My cluster")
    private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 ._:/-]*[A-Za-z0-9._:/-])?");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    // an image reference (registry/name:tag@sha256:...) or a runtime's container id (containerd://...)
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]*");

    private IdentityNames() {}

    /** Whether {@code name} is a cluster name, as {@link #CLUSTER_NAME_RULE} says. */
    public static boolean isClusterName(String name)
    {
        // the length first: it bounds the pattern's work on hostile input
        return name.length() <= MAX_NAME_LENGTH && CLUSTER.matcher(name).matches();
    }

    /** What is wrong with the identity, naming the field; empty when every field is acceptable. */
    static Optional<String> problem(ContainerIdentity identity)
    {
        return check("cluster", identity.cluster(), MAX_NAME_LENGTH, CLUSTER, CLUSTER_NAME_RULE)
                .or(() -> check("namespace", identity.namespace(), MAX_LABEL_LENGTH, LABEL,
                        "a Kubernetes name of 1 to 63 lower-case letters, digits and '-'"))
                .or(() -> check("workload kind", identity.workloadKind(), MAX_LABEL_LENGTH, KIND,
                        "a Kubernetes kind such as 'Deployment': 1 to 63 letters and digits"))
                // outside Kubernetes a workload is a Docker container, a compose service or a host, whose names may
                // hold capitals and '_': refusing them would drop that workload's events, and missing evidence must
                // never turn into "not in use" (Falco's k8smeta names are checked as Kubernetes names where they are read)
                .or(() -> check("workload name", identity.workloadName(), MAX_NAME_LENGTH, CONTAINER,
                        "1 to 253 letters, digits, '_', '.' and '-', starting with a letter or digit"))
                .or(() -> check("pod", identity.pod(), MAX_NAME_LENGTH, SUBDOMAIN,
                        "a Kubernetes name of 1 to 253 lower-case letters, digits, '-' and '.'"))
                .or(() -> check("container", identity.container(), MAX_NAME_LENGTH, CONTAINER,
                        "1 to 253 letters, digits, '_', '.' and '-', starting with a letter or digit"))
                .or(() -> check("container id", identity.containerId(), MAX_REFERENCE_LENGTH, REFERENCE,
                        "1 to 512 letters, digits and '.', '_', ':', '/', '@', '+' or '-'"))
                .or(() -> check("image", identity.image(), MAX_REFERENCE_LENGTH, REFERENCE,
                        "an image reference of 1 to 512 letters, digits and '.', '_', ':', '/', '@', '+' or '-'"));
    }

    private static Optional<String> check(String field, Optional<String> value, int maxLength, Pattern pattern, String expected)
    {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        if (text.length() <= maxLength && pattern.matcher(text).matches()) {
            return Optional.empty();
        }
        String length = text.length() > maxLength ? " (" + text.length() + " characters)" : "";
        return Optional.of("the " + field + " '" + EventFields.abbreviate(text) + "'" + length + " is not acceptable; expected " + expected);
    }
}
