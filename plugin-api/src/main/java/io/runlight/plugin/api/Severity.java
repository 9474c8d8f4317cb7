package io.runlight.plugin.api;

import java.util.Locale;

/**
 * How bad a vulnerability is, in the scale scanners share. Declared from worst to
 * least, so {@link #compareTo} orders critical first.
 */
public enum Severity
{
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    NEGLIGIBLE,
    UNKNOWN;

    /**
     * Reads a scanner's severity word, case-insensitively; {@code moderate} is medium,
     * {@code info}/{@code none} are negligible and anything unrecognised is unknown.
     */
    public static Severity parse(String text)
    {
        if (text == null) {
            return UNKNOWN;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "critical" -> CRITICAL;
            case "high", "important" -> HIGH;
            case "medium", "moderate" -> MEDIUM;
            case "low" -> LOW;
            case "negligible", "info", "informational", "none" -> NEGLIGIBLE;
            default -> UNKNOWN;
        };
    }

    /** The severity for a CVSS v3 base score, per the CVSS v3.1 qualitative scale. */
    public static Severity fromCvss(double score)
    {
        if (score >= 9.0) {
            return CRITICAL;
        }
        if (score >= 7.0) {
            return HIGH;
        }
        if (score >= 4.0) {
            return MEDIUM;
        }
        if (score > 0.0) {
            return LOW;
        }
        return NEGLIGIBLE;
    }
}
