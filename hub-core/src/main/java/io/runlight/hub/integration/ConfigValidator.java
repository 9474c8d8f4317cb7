package io.runlight.hub.integration;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.runlight.hub.config.ValueParsers;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConnectorConfig;

import static java.util.Objects.requireNonNull;

/**
 * Checks an integration's configuration against its connector's declared
 * {@link ConfigProperty properties} (CONTRIBUTING.md, style 11): converts every value to the Java
 * type of its {@link io.runlight.plugin.api.connector.ConfigType}, applies defaults,
 * requires required keys, rejects unknown keys, and reports every problem at once.
 * Messages show a given value only for properties that are not secret.
 */
public final class ConfigValidator
{
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d{1,19}");

    private ConfigValidator() {}

    /**
     * The validated configuration.
     *
     * @param connectorId named in the exception's message
     * @param properties what the connector declared
     * @param given the configuration as given: JSON values (String, Number, Boolean, List, Map); null values count as absent
     * @throws InvalidConfigException listing every problem
     */
    public static ConnectorConfig validate(String connectorId, List<ConfigProperty> properties, Map<String, ?> given)
    {
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(properties, "properties is null");
        requireNonNull(given, "given is null");
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Set<String> declared = new TreeSet<>();
        for (ConfigProperty property : properties) {
            declared.add(property.name());
            Object value = given.get(property.name());
            if (value == null || (property.required() && value instanceof String text && text.isBlank())) {
                if (property.defaultValue().isPresent()) {
                    try {
                        values.put(property.name(), convertDefault(property, property.defaultValue().get()));
                    }
                    catch (IllegalArgumentException e) {
                        errors.add(new ConfigError(property.name(), "the connector's default is invalid (" + e.getMessage() + "): give a value"));
                    }
                }
                else if (property.required()) {
                    errors.add(new ConfigError(property.name(), "is required"));
                }
                continue;
            }
            try {
                values.put(property.name(), convert(property, value));
            }
            catch (IllegalArgumentException e) {
                String shown = property.secret() ? "" : ", not " + describe(value);
                errors.add(new ConfigError(property.name(), e.getMessage() + shown));
            }
        }
        for (String key : new TreeSet<>(given.keySet())) {
            if (!declared.contains(key)) {
                errors.add(new ConfigError(key, "is not a property of connector '" + connectorId + "'; the properties are " + declared));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(connectorId, errors);
        }
        return new ConnectorConfig(values);
    }

    /** The names of the secret properties, sorted. */
    public static List<String> secretKeys(List<ConfigProperty> properties)
    {
        return requireNonNull(properties, "properties is null").stream()
                .filter(ConfigProperty::secret)
                .map(ConfigProperty::name)
                .sorted()
                .toList();
    }

    /** Defaults are strings; a map's default is written {@code name=value,name=value}. */
    private static Object convertDefault(ConfigProperty property, String value)
    {
        if (property.type() != io.runlight.plugin.api.connector.ConfigType.MAP) {
            return convert(property, value);
        }
        Map<String, String> entries = new TreeMap<>();
        for (String item : value.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int equals = item.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("a map default must be written name=value,name=value");
            }
            entries.put(item.substring(0, equals).strip(), item.substring(equals + 1).strip());
        }
        return entries;
    }

    private static Object convert(ConfigProperty property, Object value)
    {
        return switch (property.type()) {
            case STRING -> string(value);
            case BOOLEAN -> bool(value);
            case INTEGER -> integer(value);
            case DURATION -> duration(value);
            case URL -> url(value);
            case LIST -> list(value);
            case MAP -> map(value);
        };
    }

    private static String string(Object value)
    {
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException("must be a string");
    }

    private static Boolean bool(Object value)
    {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof String text) {
            String normalized = text.strip().toLowerCase(Locale.ROOT);
            if (normalized.equals("true") || normalized.equals("false")) {
                return Boolean.valueOf(normalized);
            }
        }
        throw new IllegalArgumentException("must be true or false");
    }

    private static Long integer(Object value)
    {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof BigDecimal decimal) {
                return decimal.longValueExact();
            }
            if ((value instanceof Double || value instanceof Float) && !Double.isInfinite(((Number) value).doubleValue())) {
                return new BigDecimal(value.toString()).longValueExact();
            }
            if (value instanceof String text && WHOLE_NUMBER.matcher(text.strip()).matches()) {
                return Long.parseLong(text.strip());
            }
        }
        catch (ArithmeticException | NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("must be a whole number between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
    }

    private static Duration duration(Object value)
    {
        if (value instanceof String text) {
            try {
                return ValueParsers.duration(text);
            }
            catch (IllegalArgumentException e) {
                // the parser's message repeats the value, which may be a secret: say it without
            }
        }
        throw new IllegalArgumentException("must be a duration in ISO-8601 (PT30M, P14D) or a number with a unit (30s, 15m, 12h, 14d)");
    }

    private static URI url(Object value)
    {
        if (value instanceof String text) {
            try {
                URI uri = new URI(text.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            }
            catch (URISyntaxException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("must be an absolute http or https URL such as https://example.com/path");
    }

    private static List<String> list(Object value)
    {
        if (value instanceof String text) {
            List<String> items = new ArrayList<>();
            for (String item : text.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
            return List.copyOf(items);
        }
        if (value instanceof Collection<?> items) {
            List<String> copy = new ArrayList<>();
            for (Object item : items) {
                if (!(item instanceof String text)) {
                    throw new IllegalArgumentException("must be a list of strings (a JSON array of strings or a comma-separated string)");
                }
                copy.add(text);
            }
            return List.copyOf(copy);
        }
        throw new IllegalArgumentException("must be a list of strings (a JSON array of strings or a comma-separated string)");
    }

    private static Map<String, String> map(Object value)
    {
        if (value instanceof Map<?, ?> entries) {
            Map<String, String> copy = new TreeMap<>();
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                if (!(entry.getKey() instanceof String key) || !(entry.getValue() instanceof String text)) {
                    throw new IllegalArgumentException("must be a JSON object of string values");
                }
                copy.put(key, text);
            }
            return copy;
        }
        throw new IllegalArgumentException("must be a JSON object of string values");
    }

    private static String describe(Object value)
    {
        if (value instanceof String text) {
            String shown = text.length() <= 80 ? text : text.substring(0, 80) + "…";
            return "'" + shown + "'";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Collection) {
            return "an array";
        }
        if (value instanceof Map) {
            return "an object";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
