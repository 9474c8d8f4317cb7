package io.runlight.insights.runtime;

import java.util.Optional;

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

    // The rules as patterns, which the scanners below implement (an event's identity is
    // checked field by field for every event, and the regex engine was most of reading one):
    //   cluster     [A-Za-z0-9](?:[A-Za-z0-9 ._:/-]*[A-Za-z0-9._:/-])?
    //               letters, digits and the separators cluster names use: an EKS cluster ARN has ':' and '/', and
    //               Snyk's monitor sends the cluster name its user typed, which may hold spaces ("My cluster")
    //   label       [a-z0-9]([-a-z0-9]*[a-z0-9])?
    //   subdomain   [a-z0-9]([-a-z0-9.]*[a-z0-9])?
    //   kind        [A-Za-z][A-Za-z0-9]*
    //   container   [A-Za-z0-9][A-Za-z0-9_.-]*
    //   reference   [A-Za-z0-9][A-Za-z0-9._:/@+-]*   an image reference (registry/name:tag@sha256:...) or a runtime's container id (containerd://...)
    enum Rule
    {
        CLUSTER,
        LABEL,
        SUBDOMAIN,
        KIND,
        CONTAINER,
        REFERENCE;

        /** Whether the whole of {@code text} matches this rule's pattern. */
        boolean matches(String text)
        {
            int length = text.length();
            if (length == 0) {
                return false;
            }
            char first = text.charAt(0);
            if (this == KIND ? !isLetter(first) : this == LABEL || this == SUBDOMAIN ? !isLowerOrDigit(first) : !isLetterOrDigit(first)) {
                return false;
            }
            for (int i = 1; i < length; i++) {
                if (!inside(text.charAt(i))) {
                    return false;
                }
            }
            char last = text.charAt(length - 1);
            return switch (this) {
                case CLUSTER -> last != ' ';
                case LABEL, SUBDOMAIN -> isLowerOrDigit(last);
                default -> true;
            };
        }

        // what may follow the first character
        private boolean inside(char c)
        {
            return switch (this) {
                case CLUSTER -> isLetterOrDigit(c) || c == ' ' || c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
                case LABEL -> isLowerOrDigit(c) || c == '-';
                case SUBDOMAIN -> isLowerOrDigit(c) || c == '-' || c == '.';
                case KIND -> isLetterOrDigit(c);
                case CONTAINER -> isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
                case REFERENCE -> isLetterOrDigit(c) || c == '.' || c == '_' || c == ':' || c == '/' || c == '@' || c == '+' || c == '-';
            };
        }

        private static boolean isLetter(char c)
        {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
        }

        private static boolean isLowerOrDigit(char c)
        {
            return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
        }

        private static boolean isLetterOrDigit(char c)
        {
            return isLetter(c) || c >= '0' && c <= '9';
        }
    }

    private IdentityNames() {}

    /** Whether {@code name} is a cluster name, as {@link #CLUSTER_NAME_RULE} says. */
    public static boolean isClusterName(String name)
    {
        // the length first: it bounds the pattern's work on hostile input
        return name.length() <= MAX_NAME_LENGTH && Rule.CLUSTER.matches(name);
    }

    /** What is wrong with the identity, naming the field; empty when every field is acceptable. */
    static Optional<String> problem(ContainerIdentity identity)
    {
        return check("cluster", identity.cluster(), MAX_NAME_LENGTH, Rule.CLUSTER, CLUSTER_NAME_RULE)
                .or(() -> check("namespace", identity.namespace(), MAX_LABEL_LENGTH, Rule.LABEL,
                        "a Kubernetes name of 1 to 63 lower-case letters, digits and '-'"))
                .or(() -> check("workload kind", identity.workloadKind(), MAX_LABEL_LENGTH, Rule.KIND,
                        "a Kubernetes kind such as 'Deployment': 1 to 63 letters and digits"))
                // outside Kubernetes a workload is a Docker container, a compose service or a host, whose names may
                // hold capitals and '_': refusing them would drop that workload's events, and missing evidence must
                // never turn into "not in use" (Falco's k8smeta names are checked as Kubernetes names where they are read)
                .or(() -> check("workload name", identity.workloadName(), MAX_NAME_LENGTH, Rule.CONTAINER,
                        "1 to 253 letters, digits, '_', '.' and '-', starting with a letter or digit"))
                .or(() -> check("pod", identity.pod(), MAX_NAME_LENGTH, Rule.SUBDOMAIN,
                        "a Kubernetes name of 1 to 253 lower-case letters, digits, '-' and '.'"))
                .or(() -> check("container", identity.container(), MAX_NAME_LENGTH, Rule.CONTAINER,
                        "1 to 253 letters, digits, '_', '.' and '-', starting with a letter or digit"))
                .or(() -> check("container id", identity.containerId(), MAX_REFERENCE_LENGTH, Rule.REFERENCE,
                        "1 to 512 letters, digits and '.', '_', ':', '/', '@', '+' or '-'"))
                .or(() -> check("image", identity.image(), MAX_REFERENCE_LENGTH, Rule.REFERENCE,
                        "an image reference of 1 to 512 letters, digits and '.', '_', ':', '/', '@', '+' or '-'"));
    }

    private static Optional<String> check(String field, Optional<String> value, int maxLength, Rule rule, String expected)
    {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        if (text.length() <= maxLength && rule.matches(text)) {
            return Optional.empty();
        }
        String length = text.length() > maxLength ? " (" + text.length() + " characters)" : "";
        return Optional.of("the " + field + " '" + EventFields.abbreviate(text) + "'" + length + " is not acceptable; expected " + expected);
    }
}
