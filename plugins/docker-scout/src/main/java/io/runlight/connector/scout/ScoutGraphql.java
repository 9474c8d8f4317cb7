package io.runlight.connector.scout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runlight.plugin.api.Purl;

import static java.util.Objects.requireNonNull;

/**
 * Every request body this connector sends to Docker Scout, in one place.
 *
 * <p>Docker has not documented this API for third parties. The mutations, input types
 * and enum values were read from Scout's published GraphQL schema (the generated
 * client types of {@code api.scout.docker.com/v1/graphql}): {@code SetStreamImagesInput
 * {stream, images: [SetStreamImagesImage {image, appName, platform}]}},
 * {@code AddVulnerabilityExceptionInput {cveId, type, justification, additionalDetails,
 * imageScopes}}, {@code RemoveVulnerabilityExceptionInput {ids: [ID!]!}} whose result is
 * {@code {ids}}. If Docker changes them, this class is what changes.
 */
final class ScoutGraphql
{
    static final String SET_STREAM_IMAGES = """
            mutation SetStreamImages($ctx: Context!, $in: SetStreamImagesInput!) {
              setStreamImages(context: $ctx, input: $in) { status }
            }""";

    static final String ADD_EXCEPTION = """
            mutation AddException($ctx: Context!, $in: AddVulnerabilityExceptionInput!) {
              addVulnerabilityException(context: $ctx, input: $in) { exception { id } }
            }""";

    static final String REMOVE_EXCEPTION = """
            mutation RemoveException($ctx: Context!, $in: RemoveVulnerabilityExceptionInput!) {
              removeVulnerabilityException(context: $ctx, input: $in) { ids }
            }""";

    static final String TYPE_FALSE_POSITIVE = "FALSE_POSITIVE";
    static final String JUSTIFICATION_NOT_IN_EXECUTE_PATH = "VULNERABLE_CODE_NOT_IN_EXECUTE_PATH";

    private final ObjectMapper mapper;
    private final String organization;

    ScoutGraphql(ObjectMapper mapper, String organization)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.organization = requireNonNull(organization, "organization is null");
    }

    /** One image of an environment. */
    record StreamImage(String image, String appName, String os, String architecture)
    {
        StreamImage
        {
            requireNonNull(image, "image is null");
            requireNonNull(appName, "appName is null");
            requireNonNull(os, "os is null");
            requireNonNull(architecture, "architecture is null");
        }
    }

    /** The {@code images} array of {@code setStreamImages}. */
    ArrayNode streamImages(List<StreamImage> images)
    {
        ArrayNode array = mapper.createArrayNode();
        for (StreamImage image : images) {
            ObjectNode item = array.addObject();
            item.put("image", image.image());
            item.put("appName", image.appName());
            if (!image.architecture().isEmpty()) {
                ObjectNode platform = item.putObject("platform");
                platform.put("os", image.os());
                platform.put("architecture", image.architecture());
            }
        }
        return array;
    }

    /** The body that replaces the image list of one environment. */
    byte[] setStreamImages(String stream, ArrayNode images)
    {
        ObjectNode in = mapper.createObjectNode();
        in.put("stream", stream);
        in.set("images", images);
        return body(SET_STREAM_IMAGES, in);
    }

    /** The body that records one "not affected: vulnerable code not in execute path" exception. */
    byte[] addException(String cveId, String additionalDetails, ImageCoordinates image, Purl purl)
    {
        ObjectNode in = mapper.createObjectNode();
        in.put("cveId", cveId);
        in.put("type", TYPE_FALSE_POSITIVE);
        in.put("justification", JUSTIFICATION_NOT_IN_EXECUTE_PATH);
        in.put("additionalDetails", additionalDetails);
        ObjectNode scope = in.putArray("imageScopes").addObject();
        if (!image.onDockerHub()) {
            scope.put("hostName", image.registry());
        }
        scope.put("repoName", image.repository());
        scope.put("digest", image.digest().value());
        ObjectNode purlFields = scope.putArray("packageScopes").addObject().putObject("purlFields");
        purlFields.put("type", purl.type());
        purl.namespace().ifPresent(namespace -> purlFields.put("namespace", namespace));
        purlFields.put("name", purl.name());
        purl.version().ifPresent(version -> purlFields.put("version", version));
        return body(ADD_EXCEPTION, in);
    }

    /** The body that removes exceptions by id. */
    byte[] removeException(String id)
    {
        ObjectNode in = mapper.createObjectNode();
        in.putArray("ids").add(id);
        return body(REMOVE_EXCEPTION, in);
    }

    private byte[] body(String query, ObjectNode in)
    {
        ObjectNode body = mapper.createObjectNode();
        body.put("query", query);
        ObjectNode variables = body.putObject("variables");
        variables.putObject("ctx").put("organization", organization);
        variables.set("in", in);
        try {
            return mapper.writeValueAsBytes(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write a Docker Scout request body", e);
        }
    }
}
