package io.runlight.plugin.api.connector;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.plugin.api.Bytes;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A request to one of a connector's routes, already authenticated as its integration.
 *
 * @param method the HTTP method
 * @param path the path, decoded
 * @param query query parameters, decoded, in order of appearance per name
 * @param headers request headers, minus {@code Authorization}
 * @param body the request body
 */
public record ServeRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers, Bytes body)
{
    public ServeRequest
    {
        requireNonBlank(method, "method");
        requireNonBlank(path, "path");
        requireNonNull(query, "query is null");
        TreeMap<String, List<String>> queryCopy = new TreeMap<>();
        query.forEach((name, values) -> queryCopy.put(requireNonNull(name, "query name is null"), List.copyOf(values)));
        query = Collections.unmodifiableMap(queryCopy);
        headers = Headers.copy(headers);
        requireNonNull(body, "body is null");
    }

    /** A request as the hub hands it to a connector; for tests of a connector. */
    public static ServeRequest of(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers, byte[] body)
    {
        return new ServeRequest(method, path, query, headers, Bytes.of(body));
    }

    /** A {@code GET} without headers; for tests of a connector. */
    public static ServeRequest get(String path, Map<String, List<String>> query)
    {
        return new ServeRequest("GET", path, query, Map.of(), Bytes.empty());
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name)
    {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a header, ignoring case. */
    public Optional<String> header(String name)
    {
        return Headers.first(headers, name);
    }


    @Override
    public String toString()
    {
        return "ServeRequest[" + method + " " + path + ", query=" + query.keySet() + ", " + body + "]";
    }
}
