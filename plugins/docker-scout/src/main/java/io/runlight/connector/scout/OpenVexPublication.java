package io.runlight.connector.scout;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.VexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Publishes each image's OpenVEX document (the hub's, as {@code GET /api/v1/images/{digest}/vex?format=openvex}
 * serves it) to {@code vexUrl}: {@code PUT <vexUrl>/<digest>.openvex.json}, replacing the
 * previous version. Before sending, the document's {@code author} becomes the configured
 * author (so {@code docker scout cves --vex-author} can select it) and each product's
 * {@code @id} becomes {@code pkg:docker/<repository>@<digest>}, the form Scout matches.
 */
final class OpenVexPublication
{
    static final String URL_ATTRIBUTE = "url";

    private final ScoutConfig config;
    private final InsightsQuery insights;
    private final ObjectMapper mapper;

    OpenVexPublication(ScoutConfig config, InsightsQuery insights, ObjectMapper mapper)
    {
        this.config = requireNonNull(config, "config is null");
        this.insights = requireNonNull(insights, "insights is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    List<PushMessage> translate(InsightsChange change, ImageCoordinates image)
    {
        ImageInsights imageInsights = change.insights();
        if (config.vexUrl().isEmpty() || imageInsights.profile().state() != ProfileState.COMPLETE) {
            return List.of();
        }
        Optional<byte[]> document = insights.vex(imageInsights.digest(), VexFormat.OPENVEX);
        if (document.isEmpty()) {
            return List.of();
        }
        URI url = ScoutConfig.join(config.vexUrl().get(), "/" + imageInsights.digest().value() + ".openvex.json");
        return List.of(PushMessage.of(change.type().eventType(), "openvex|" + imageInsights.digest().value(), forScout(document.get(), image), Map.of(
                MessageKind.ATTRIBUTE, MessageKind.OPENVEX.name(),
                URL_ATTRIBUTE, url.toString())));
    }

    OutboundRequest request(PushMessage message)
    {
        return OutboundRequest.builder("PUT", URI.create(message.attributes().get(URL_ATTRIBUTE)))
                .header("Content-Type", "application/json")
                .body(message.payload())
                .build();
    }

    private byte[] forScout(byte[] document, ImageCoordinates image)
    {
        try {
            JsonNode root = mapper.readTree(document);
            if (!(root instanceof ObjectNode object)) {
                throw new IllegalStateException("the hub's OpenVEX document of image '" + image.digest() + "' is not a JSON object");
            }
            object.put("author", config.author());
            String product = "pkg:docker/" + image.repository() + "@" + image.digest().value()
                    + (image.onDockerHub() ? "" : "?repository_url=" + image.registry());
            for (JsonNode statement : object.path("statements")) {
                for (JsonNode item : statement.path("products")) {
                    if (item instanceof ObjectNode productNode) {
                        productNode.put("@id", product);
                    }
                }
            }
            return mapper.writeValueAsBytes(object);
        }
        catch (IOException e) {
            throw new IllegalStateException("the hub's OpenVEX document of image '" + image.digest() + "' is not JSON", e);
        }
    }
}
