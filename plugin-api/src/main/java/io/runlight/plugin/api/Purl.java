package io.runlight.plugin.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A package URL (<a href="https://github.com/package-url/purl-spec">purl</a>), held as
 * its parsed components and printed in canonical form: lower-case type, qualifiers
 * sorted by key with empty values dropped, components percent-encoded, and the
 * components that the spec's type definitions declare case-insensitive lower-cased:
 * {@code pypi} names also turn {@code _} into {@code -} ({@code pkg:pypi/PyYAML} is
 * {@code pkg:pypi/pyyaml}), {@code pub} names keep only {@code [a-z0-9_]}. The types are
 * those of the spec's {@code types/*-definition.json}: namespace and name of {@code alpm},
 * {@code apk}, {@code bitbucket}, {@code brew}, {@code composer}, {@code deb},
 * {@code github}, {@code hex}, {@code luarocks}, {@code vscode-extension}; the namespace of
 * {@code qpkg}, {@code rpm}, {@code yocto}; the name of {@code bitnami},
 * {@code chrome-extension}, {@code oci}, {@code otp}; the version of {@code huggingface},
 * {@code oci}, {@code vscode-extension}. {@code npm}, {@code maven}, {@code golang} and the
 * others stay as written: their names are case-sensitive.
 *
 * <p>Two purls that differ only in qualifier order or percent-encoding are equal once
 * parsed, which is how Runlight joins scanner output to SBOM packages.
 *
 * @param type the package type, for example {@code apk}
 * @param namespace the namespace (vendor, distro, group), if any, with {@code /} between segments
 * @param name the package name
 * @param version the version, if any
 * @param qualifiers qualifiers such as {@code arch} and {@code distro}, sorted by key
 * @param subpath the path within the package, if any
 */
public record Purl(
        String type,
        Optional<String> namespace,
        String name,
        Optional<String> version,
        SortedMap<String, String> qualifiers,
        Optional<String> subpath)
{
    private static final int MAX_LENGTH = 4096;
    // from the purl spec's type definitions (types/*-definition.json): the components that are not case sensitive
    private static final Set<String> CASE_INSENSITIVE_NAMESPACE = Set.of(
            "alpm", "apk", "bitbucket", "brew", "composer", "deb", "github", "hex", "luarocks", "qpkg", "rpm", "vscode-extension", "yocto");
    private static final Set<String> CASE_INSENSITIVE_NAME = Set.of(
            "alpm", "apk", "bitbucket", "bitnami", "brew", "chrome-extension", "composer", "deb", "github", "hex", "luarocks", "oci", "otp",
            "pub", "pypi", "vscode-extension");
    private static final Set<String> CASE_INSENSITIVE_VERSION = Set.of("huggingface", "oci", "vscode-extension");

    public Purl
    {
        requireNonBlank(type, "type");
        type = type.toLowerCase(Locale.ROOT);
        if (!isValidType(type)) {
            throw new IllegalArgumentException("invalid purl type '" + type + "': letters, digits, '.', '+' and '-' only, not starting with a digit");
        }
        requireNonNull(namespace, "namespace is null");
        namespace = namespace.map(Purl::trimSlashes).filter(value -> !value.isEmpty());
        requireNonBlank(name, "name");
        requireNonNull(version, "version is null");
        version = version.filter(value -> !value.isEmpty());
        if (CASE_INSENSITIVE_NAMESPACE.contains(type)) {
            namespace = namespace.map(value -> value.toLowerCase(Locale.ROOT));
        }
        name = canonicalName(type, name);
        if (CASE_INSENSITIVE_VERSION.contains(type)) {
            version = version.map(value -> value.toLowerCase(Locale.ROOT));
        }
        requireNonNull(qualifiers, "qualifiers is null");
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> entry : qualifiers.entrySet()) {
            String key = requireNonNull(entry.getKey(), "qualifier key is null").toLowerCase(Locale.ROOT);
            if (!isValidQualifierKey(key)) {
                throw new IllegalArgumentException("invalid purl qualifier key '" + key + "'");
            }
            String value = requireNonNull(entry.getValue(), "qualifier '" + key + "' is null");
            if (!value.isEmpty()) {
                sorted.put(key, value);
            }
        }
        qualifiers = Collections.unmodifiableSortedMap(sorted);
        requireNonNull(subpath, "subpath is null");
        subpath = subpath.map(Purl::trimSlashes).filter(value -> !value.isEmpty());
    }

    /**
     * A purl without qualifiers or subpath.
     *
     * @param namespace may be {@code null} for none
     * @param version may be {@code null} for none
     */
    public static Purl of(String type, String namespace, String name, String version)
    {
        return new Purl(type, Optional.ofNullable(namespace), name, Optional.ofNullable(version), new TreeMap<>(), Optional.empty());
    }

    /** A copy with one more qualifier (an empty value removes it). */
    public Purl withQualifier(String key, String value)
    {
        TreeMap<String, String> copy = new TreeMap<>(qualifiers);
        copy.put(key.toLowerCase(Locale.ROOT), value);
        return new Purl(type, namespace, name, version, copy, subpath);
    }

    /** A copy without qualifiers and subpath: what identifies the package itself. */
    public Purl withoutQualifiers()
    {
        return new Purl(type, namespace, name, version, new TreeMap<>(), Optional.empty());
    }

    /** The qualifier's value, if present. */
    public Optional<String> qualifier(String key)
    {
        return Optional.ofNullable(qualifiers.get(key.toLowerCase(Locale.ROOT)));
    }

    /**
     * Parses a purl string.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static Purl parse(String text)
    {
        requireNonNull(text, "purl is null");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("purl is longer than " + MAX_LENGTH + " characters");
        }
        String rest = text.strip();
        if (!rest.regionMatches(true, 0, "pkg:", 0, 4)) {
            throw invalid(text, "it must start with 'pkg:'");
        }
        rest = rest.substring(4);
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }

        Optional<String> subpath = Optional.empty();
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            subpath = Optional.of(decodeSegments(rest.substring(hash + 1), text));
            rest = rest.substring(0, hash);
        }
        TreeMap<String, String> qualifiers = new TreeMap<>();
        int question = rest.indexOf('?');
        if (question >= 0) {
            String query = rest.substring(question + 1);
            rest = rest.substring(0, question);
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw invalid(text, "qualifier '" + pair + "' has no '='");
                }
                String key = pair.substring(0, equals).toLowerCase(Locale.ROOT);
                if (qualifiers.containsKey(key)) {
                    throw invalid(text, "qualifier '" + key + "' appears twice");
                }
                qualifiers.put(key, decode(pair.substring(equals + 1), text));
            }
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw invalid(text, "no type/name");
        }
        String type = rest.substring(0, slash);
        rest = trimSlashes(rest.substring(slash + 1));

        Optional<String> version = Optional.empty();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            version = Optional.of(decode(rest.substring(at + 1), text));
            rest = rest.substring(0, at);
        }
        int lastSlash = rest.lastIndexOf('/');
        String name = decode(rest.substring(lastSlash + 1), text);
        if (name.isEmpty()) {
            throw invalid(text, "the name is empty");
        }
        Optional<String> namespace = Optional.empty();
        if (lastSlash > 0) {
            namespace = Optional.of(decodeSegments(rest.substring(0, lastSlash), text));
        }
        return new Purl(type, namespace, name, version, qualifiers, subpath);
    }

    // the spec's normalisation rules for names: lower case where not case sensitive; pypi "_" -> "-"; pub keeps [a-z0-9_]
    private static String canonicalName(String type, String name)
    {
        if (!CASE_INSENSITIVE_NAME.contains(type)) {
            return name;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "pypi" -> lower.replace('_', '-');
            case "pub" -> pubName(lower);
            default -> lower;
        };
    }

    private static String pubName(String lower)
    {
        StringBuilder out = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean kept = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            out.append(kept ? c : '_');
        }
        return out.toString();
    }

    /** Whether {@code text} parses as a purl. */
    public static boolean isValid(String text)
    {
        try {
            parse(text);
            return true;
        }
        catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** The canonical string form. */
    @Override
    public String toString()
    {
        StringBuilder out = new StringBuilder("pkg:").append(type).append('/');
        namespace.ifPresent(value -> out.append(encodeSegments(value)).append('/'));
        out.append(encode(name, false));
        version.ifPresent(value -> out.append('@').append(encode(value, false)));
        if (!qualifiers.isEmpty()) {
            char separator = '?';
            for (Map.Entry<String, String> entry : qualifiers.entrySet()) {
                out.append(separator).append(entry.getKey()).append('=').append(encode(entry.getValue(), true));
                separator = '&';
            }
        }
        subpath.ifPresent(value -> out.append('#').append(encodeSegments(value)));
        return out.toString();
    }

    private static boolean isValidType(String type)
    {
        if (Character.isDigit(type.charAt(0))) {
            return false;
        }
        return type.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-');
    }

    private static boolean isValidQualifierKey(String key)
    {
        return !key.isEmpty() && !Character.isDigit(key.charAt(0))
                && key.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
    }

    private static String trimSlashes(String value)
    {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == '/') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == '/') {
            end--;
        }
        return value.substring(start, end);
    }

    private static String encodeSegments(String value)
    {
        List<String> parts = new ArrayList<>();
        for (String segment : value.split("/")) {
            if (!segment.isEmpty()) {
                parts.add(encode(segment, false));
            }
        }
        return String.join("/", parts);
    }

    private static String decodeSegments(String value, String original)
    {
        List<String> parts = new ArrayList<>();
        for (String segment : value.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".") && !segment.equals("..")) {
                parts.add(decode(segment, original));
            }
        }
        return String.join("/", parts);
    }

    // Unreserved characters stay as they are; '+' and ':' too, as Syft and the purl
    // examples print them. In qualifier values '/' stays (repository_url=docker.io/acme/app).
    private static String encode(String value, boolean qualifierValue)
    {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == ':'
                    || (qualifierValue && c == '/');
            if (plain) {
                out.append((char) c);
            }
            else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String decode(String value, String original)
    {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 3 > value.length()) {
                    throw invalid(original, "truncated percent-encoding");
                }
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw invalid(original, "bad percent-encoding '" + value.substring(i, i + 3) + "'");
                }
                bytes.write((high << 4) | low);
                i += 2;
            }
            else {
                int end = value.indexOf('%', i);
                if (end < 0) {
                    end = value.length();
                }
                byte[] plain = value.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
                i = end - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    // messages are built only on failure: parsing valid purls is on the SBOM ingest hot path
    private static IllegalArgumentException invalid(String text, String problem)
    {
        return new IllegalArgumentException("invalid purl '" + abbreviate(text) + "': " + problem);
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
