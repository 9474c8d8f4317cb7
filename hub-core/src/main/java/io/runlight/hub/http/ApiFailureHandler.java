package io.runlight.hub.http;

import java.util.Map;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;
import io.runlight.insights.input.InputException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses (CONTRIBUTING.md, style 9). Every hub
 * exception is a {@link HubFailure} and says whose fault it is: the user's maps to a 4xx with
 * its message (and its details, such as every configuration error), an external system's to
 * 502 with its message, a passing state (starting, recovering) to 503 with its message and
 * Retry-After, ours to 500 with a generic message (the details go to the log, once, with the path). The engine's {@link InputException} and Vert.x's own refusals are mapped
 * here too.
 */
public final class ApiFailureHandler
        implements Handler<RoutingContext>
{
    private static final Logger log = LoggerFactory.getLogger(ApiFailureHandler.class);

    @Override
    public void handle(RoutingContext context)
    {
        if (context.response().headWritten()) {
            context.response().reset();
            return;
        }
        Throwable failure = context.failure();
        int status;
        String code;
        String message;
        Map<String, Object> details = Map.of();
        if (failure instanceof HubFailure known) {
            status = statusOf(known);
            code = known.errorCategory() == ErrorCategory.INTERNAL ? "internal_error" : known.errorCode();
            message = known.errorCategory() == ErrorCategory.INTERNAL ? defaultMessage(500) : known.getMessage();
            details = known.details();
            known.retryAfter().ifPresent(delay -> context.response().putHeader("Retry-After", Long.toString(Math.max(1, delay.toSeconds()))));
        }
        else if (failure instanceof InputException input) {
            // the engine's own exception: the engine knows nothing of the hub, so it is mapped here
            status = switch (input.reason()) {
                case MALFORMED -> 400;
                case INVALID -> 422;
                case TOO_LARGE -> 413;
            };
            code = switch (input.reason()) {
                case MALFORMED -> "malformed_document";
                case INVALID -> "unsupported_document";
                case TOO_LARGE -> "payload_too_large";
            };
            message = input.getMessage();
        }
        else if (failure instanceof HttpException http && http.getStatusCode() >= 400 && http.getStatusCode() < 500) {
            // Vert.x's own refusals (HubRouter catches an undecodable query string before any handler)
            status = http.getStatusCode();
            code = defaultCode(status);
            message = defaultMessage(status);
        }
        else if (failure == null) {
            status = context.statusCode() > 0 ? context.statusCode() : 500;
            code = defaultCode(status);
            message = defaultMessage(status);
        }
        else {
            status = 500;
            code = "internal_error";
            message = defaultMessage(500);
        }
        if (status == 503) {
            log.info("Request {} {} answered 503: {}", context.request().method(), context.request().path(), message);
        }
        else if (status >= 500) {
            log.error("Request {} {} failed", context.request().method(), context.request().path(), failure);
        }
        else if (log.isDebugEnabled()) {
            log.debug("Request {} {} refused with {}: {}", context.request().method(), context.request().path(), status, message);
        }
        if (status == 401 && !context.response().headers().contains("WWW-Authenticate")) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"runlight\"");
        }
        if (!context.request().isEnded()) {
            // a refusal before the body was read (a paused request): drain it, so a client that is still
            // sending does not wait forever and a keep-alive connection stays usable
            context.request().handler(ignored -> { });
            context.request().resume();
        }
        JsonObject body = new JsonObject().put("error", code).put("message", message);
        details.forEach(body::put);
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    /**
     * The status of a hub failure: the user's fault is the 4xx its code names (422 for a
     * request that parses but cannot be done), an external system's 502, ours 500. The HTTP
     * layer's own {@link ApiException} says its status itself.
     */
    private static int statusOf(HubFailure failure)
    {
        if (failure instanceof ApiException api) {
            return api.status();
        }
        return switch (failure.errorCategory()) {
            case USER -> switch (failure.errorCode()) {
                case "bad_request" -> 400;
                case "unauthenticated", "unauthorized" -> 401;
                case "forbidden" -> 403;
                case "not_found" -> 404;
                case "conflict" -> 409;
                case "payload_too_large" -> 413;
                case "unsupported_media_type" -> 415;
                case "rate_limited" -> 429;
                default -> 422;
            };
            case EXTERNAL -> 502;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    private static String defaultCode(int status)
    {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }

    private static String defaultMessage(int status)
    {
        return switch (status) {
            case 400 -> "The request is malformed.";
            case 401 -> "Authentication is required: send Authorization: Bearer <token>.";
            case 403 -> "This token's role does not allow this request.";
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed on this path.";
            case 413 -> "The request body is larger than this endpoint accepts.";
            case 415 -> "This endpoint does not accept that content type.";
            default -> "The hub failed to handle this request; the hub's log has the details.";
        };
    }
}
