package io.runlight.plugin.api.connector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * HTTP header copies for the request and response records: names are kept as given,
 * lookups ignore case.
 */
final class Headers
{
    private Headers() {}

    static Map<String, List<String>> copy(Map<String, List<String>> headers)
    {
        requireNonNull(headers, "headers is null");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            requireNonNull(name, "header name is null");
            requireNonNull(values, "values of header '" + name + "' is null");
            if (name.chars().anyMatch(c -> c <= ' ' || c == ':' || c == 0x7f)) {
                throw new IllegalArgumentException("invalid header name '" + name + "'");
            }
            List<String> merged = new ArrayList<>(copy.getOrDefault(name, List.of()));
            for (String value : values) {
                requireNonNull(value, "a value of header '" + name + "' is null");
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("value of header '" + name + "' contains a line break");
                }
                merged.add(value);
            }
            copy.put(name, List.copyOf(merged));
        });
        return Collections.unmodifiableMap(copy);
    }

    static Optional<String> first(Map<String, List<String>> headers, String name)
    {
        List<String> values = headers.get(name);
        if (values == null) {
            // maps not built by copy() (a record's accessor may be handed a TreeMap anyway, but be safe)
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    values = entry.getValue();
                    break;
                }
            }
        }
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0));
    }
}
