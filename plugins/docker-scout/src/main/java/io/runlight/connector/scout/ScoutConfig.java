package io.runlight.connector.scout;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.ConnectorConfig;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One integration's Docker Scout settings, typed.
 *
 * @param organization the Docker organization (namespace) that owns the environments and exceptions
 * @param username the Docker ID that logs in
 * @param accessToken its personal or organisation access token (secret)
 * @param environments Runlight cluster, or {@code cluster/namespace}, to Scout environment name
 * @param vexExceptions whether to record VEX exceptions for packages not in use
 * @param hubUrl the Docker Hub base URL (login)
 * @param scoutUrl the Docker Scout API base URL (GraphQL)
 * @param author who the exceptions and documents name
 * @param vexUrl where to PUT each image's OpenVEX document, if anywhere
 */
public record ScoutConfig(
        String organization,
        String username,
        String accessToken,
        SortedMap<String, String> environments,
        boolean vexExceptions,
        URI hubUrl,
        URI scoutUrl,
        String author,
        Optional<URI> vexUrl)
{
    static final String ORGANIZATION = "organization";
    static final String USERNAME = "username";
    static final String ACCESS_TOKEN = "accessToken";
    static final String ENVIRONMENTS = "environments";
    static final String VEX_EXCEPTIONS = "vexExceptions";
    static final String HUB_URL = "hubUrl";
    static final String SCOUT_URL = "scoutUrl";
    static final String AUTHOR = "author";
    static final String VEX_URL = "vexUrl";

    static final String DEFAULT_HUB_URL = "https://hub.docker.com";
    static final String DEFAULT_SCOUT_URL = "https://api.scout.docker.com";
    static final String DEFAULT_AUTHOR = "Runlight";

    public ScoutConfig
    {
        requireNonBlank(organization, "organization");
        requireNonBlank(username, "username");
        requireNonBlank(accessToken, "accessToken");
        requireNonNull(environments, "environments is null");
        environments = Collections.unmodifiableSortedMap(new TreeMap<>(environments));
        requireNonNull(hubUrl, "hubUrl is null");
        requireNonNull(scoutUrl, "scoutUrl is null");
        requireNonBlank(author, "author");
        requireNonNull(vexUrl, "vexUrl is null");
    }

    /** Reads a configuration the hub validated; defaults apply when a key is absent. */
    public static ScoutConfig from(ConnectorConfig config)
    {
        requireNonNull(config, "config is null");
        Map<String, String> environments = config.map(ENVIRONMENTS);
        return new ScoutConfig(
                config.require(ORGANIZATION, String.class),
                config.require(USERNAME, String.class),
                config.require(ACCESS_TOKEN, String.class),
                new TreeMap<>(environments),
                config.bool(VEX_EXCEPTIONS).orElse(true),
                config.url(HUB_URL).orElse(URI.create(DEFAULT_HUB_URL)),
                config.url(SCOUT_URL).orElse(URI.create(DEFAULT_SCOUT_URL)),
                config.string(AUTHOR).orElse(DEFAULT_AUTHOR),
                config.url(VEX_URL));
    }

    /** {@code POST} here to log in. */
    URI loginUri()
    {
        return join(hubUrl, "/v2/users/login");
    }

    /** {@code POST} GraphQL requests here. */
    URI graphqlUri()
    {
        return join(scoutUrl, "/v1/graphql");
    }

    static URI join(URI base, String path)
    {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + path);
    }

    @Override
    public String toString()
    {
        // the access token never appears in logs
        return "ScoutConfig[organization=" + organization + ", username=" + username + ", accessToken=***, environments=" + environments
                + ", vexExceptions=" + vexExceptions + ", hubUrl=" + hubUrl + ", scoutUrl=" + scoutUrl + ", author=" + author + ", vexUrl=" + vexUrl + "]";
    }
}
