package io.runlight.hub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.ConfigException;
import io.runlight.hub.delivery.RelayOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code delivery.*} settings: defaults, mapping from each source, and a named error for every bad value. */
class TestDeliveryOptions
{
    @TempDir
    Path folder;

    @Test
    void defaultsAreTheRelaysDefaults()
    {
        HubConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), Map.of());

        assertThat(config.delivery()).isEqualTo(RelayOptions.defaults());
    }

    @Test
    void everySettingFromTheFile()
            throws IOException
    {
        Path file = folder.resolve("runlight.yaml");
        Files.writeString(file, """
                delivery:
                  max-attempts: 5
                  first-backoff: 2s
                  backoff-multiplier: 1.5
                  backoff-jitter: 0.25
                  max-backoff: PT2M
                  max-retry-after: 30m
                  request-timeout: 10s
                  max-response-size: 64KiB
                  requests-per-second: 4
                  circuit-failure-rate-percent: 75.5
                  circuit-window: 20
                  circuit-open-duration: 1m
                  circuit-half-open-calls: 2
                  max-resends: 0
                  poll-interval: 500ms
                  lock-lease: 15m
                """);

        HubConfig config = new ConfigLoader(Map.of()).load(Optional.of(file), Map.of());

        assertThat(config.delivery()).isEqualTo(new RelayOptions(Duration.ofMillis(500), 5, Duration.ofSeconds(2), 1.5, 0.25, Duration.ofMinutes(2),
                Duration.ofMinutes(30), Duration.ofSeconds(10), 64 * 1024, 4, 75.5f, 20, Duration.ofMinutes(1), 2, 0, Duration.ofMinutes(15)));
    }

    @Test
    void environmentVariablesOverrideTheFileAndFlagsOverrideBoth()
            throws IOException
    {
        Path file = folder.resolve("runlight.yaml");
        Files.writeString(file, """
                delivery:
                  max-attempts: 5
                  request-timeout: 10s
                """);
        Map<String, String> environment = Map.of(
                "RUNLIGHT_DELIVERY_MAX_ATTEMPTS", "3",
                "RUNLIGHT_DELIVERY_CIRCUIT_FAILURE_RATE_PERCENT", "20",
                "RUNLIGHT_DELIVERY_MAX_RETRY_AFTER", "PT10M");

        HubConfig config = new ConfigLoader(environment).load(Optional.of(file), Map.of("delivery.max-retry-after", "2m"));

        assertThat(config.delivery()).isEqualTo(new RelayOptions(Duration.ofSeconds(1), 3, Duration.ofSeconds(1), 2, 0.5, Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofSeconds(10), 1024 * 1024, 10, 20, 10, Duration.ofSeconds(30), 3, 3, Duration.ofMinutes(10)));
        assertThat(HubOptions.DELIVERY_MAX_ATTEMPTS.environmentVariable()).isEqualTo("RUNLIGHT_DELIVERY_MAX_ATTEMPTS");
        assertThat(HubOptions.DELIVERY_CIRCUIT_FAILURE_RATE.environmentVariable()).isEqualTo("RUNLIGHT_DELIVERY_CIRCUIT_FAILURE_RATE_PERCENT");
    }

    @Test
    void everyBadValueIsNamedAtOnce()
    {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("RUNLIGHT_DELIVERY_MAX_ATTEMPTS", "0");
        environment.put("RUNLIGHT_DELIVERY_FIRST_BACKOFF", "0");
        environment.put("RUNLIGHT_DELIVERY_BACKOFF_MULTIPLIER", "0.5");
        environment.put("RUNLIGHT_DELIVERY_BACKOFF_JITTER", "1");
        environment.put("RUNLIGHT_DELIVERY_MAX_BACKOFF", "soon");
        environment.put("RUNLIGHT_DELIVERY_MAX_RETRY_AFTER", "-5s");
        environment.put("RUNLIGHT_DELIVERY_REQUEST_TIMEOUT", "PT0.0005S");
        environment.put("RUNLIGHT_DELIVERY_MAX_RESPONSE_SIZE", "4GiB");
        environment.put("RUNLIGHT_DELIVERY_REQUESTS_PER_SECOND", "ten");
        environment.put("RUNLIGHT_DELIVERY_CIRCUIT_FAILURE_RATE_PERCENT", "150");
        environment.put("RUNLIGHT_DELIVERY_CIRCUIT_WINDOW", "99999999999");
        environment.put("RUNLIGHT_DELIVERY_CIRCUIT_OPEN_DURATION", "  ");
        environment.put("RUNLIGHT_DELIVERY_CIRCUIT_HALF_OPEN_CALLS", "-1");
        environment.put("RUNLIGHT_DELIVERY_MAX_RESENDS", "-1");
        environment.put("RUNLIGHT_DELIVERY_POLL_INTERVAL", "0ms");
        environment.put("RUNLIGHT_DELIVERY_LOCK_LEASE", "1e3");

        assertThat(errors(environment, Map.of())).containsExactly(
                "delivery.max-attempts is 0: give at least 1",
                "delivery.first-backoff is 0: give a duration of at least 1ms",
                "delivery.backoff-multiplier is 0.5: give at least 1 (1 keeps the delay constant)",
                "delivery.backoff-jitter is 1: give a fraction from 0 (no jitter) up to, not including, 1",
                "delivery.max-backoff: duration 'soon' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)",
                "delivery.max-retry-after: duration '-5s' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)",
                "delivery.request-timeout is PT0.0005S: give a duration of at least 1ms",
                "delivery.max-response-size is 4GiB: give less than 2GiB",
                "delivery.requests-per-second: 'ten' is not a number",
                "delivery.circuit-failure-rate-percent is 150: give a percentage above 0 and at most 100",
                "delivery.circuit-window: '99999999999' is too large: give at most 2147483647",
                "delivery.circuit-open-duration is empty: give a value, or leave it out for the default PT30S",
                "delivery.circuit-half-open-calls is -1: give at least 1",
                "delivery.max-resends is -1: give at least 0",
                "delivery.poll-interval is 0ms: give a duration of at least 1ms",
                "delivery.lock-lease: duration '1e3' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)");
    }

    @Test
    void decimalsAreWrittenAsPlainNumbers()
    {
        assertThat(errors(Map.of(), Map.of("delivery.backoff-multiplier", "NaN", "delivery.backoff-jitter", "-0.1",
                "delivery.circuit-failure-rate-percent", "1e2")))
                .containsExactly(
                        "delivery.backoff-multiplier: 'NaN' is not a number",
                        "delivery.backoff-jitter is -0.1: give a fraction from 0 (no jitter) up to, not including, 1",
                        "delivery.circuit-failure-rate-percent: '1e2' is not a number");
        assertThat(new ConfigLoader(Map.of()).load(Optional.empty(), Map.of("delivery.backoff-jitter", "0", "delivery.backoff-multiplier", "1",
                "delivery.circuit-failure-rate-percent", "100")).delivery())
                .isEqualTo(new RelayOptions(Duration.ofSeconds(1), 8, Duration.ofSeconds(1), 1, 0, Duration.ofMinutes(5), Duration.ofHours(1),
                        Duration.ofSeconds(30), 1024 * 1024, 10, 100, 10, Duration.ofSeconds(30), 3, 3, Duration.ofMinutes(10)));
    }

    @Test
    void contradictingSettingsAreNamedTogether()
    {
        assertThat(errors(Map.of("RUNLIGHT_DELIVERY_FIRST_BACKOFF", "10m"), Map.of("delivery.max-backoff", "5m",
                "delivery.request-timeout", "1m", "delivery.max-resends", "4", "delivery.lock-lease", "5m")))
                .containsExactly(
                        "delivery.first-backoff (10m) is longer than delivery.max-backoff (5m): lower the first or raise the maximum",
                        "delivery.lock-lease (5m) is not longer than an attempt may take, delivery.request-timeout (1m) for the request and for each of "
                                + "delivery.max-resends (4) resends: raise it, or another member may send a delivery that is still in flight");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.empty(), Map.of("delivery.first-backoff", "PT6M")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: delivery.first-backoff (PT6M) is longer than delivery.max-backoff (PT5M): lower the first or raise the maximum");
        // the boundaries themselves are fine
        assertThat(new ConfigLoader(Map.of()).load(Optional.empty(), Map.of("delivery.first-backoff", "5m", "delivery.lock-lease", "121s",
                "delivery.max-attempts", "1", "delivery.max-response-size", "0")).delivery())
                .isEqualTo(new RelayOptions(Duration.ofSeconds(1), 1, Duration.ofMinutes(5), 2, 0.5, Duration.ofMinutes(5), Duration.ofHours(1),
                        Duration.ofSeconds(30), 0, 10, 50, 10, Duration.ofSeconds(30), 3, 3, Duration.ofSeconds(121)));
    }

    private static List<String> errors(Map<String, String> environment, Map<String, String> flags)
    {
        try {
            new ConfigLoader(environment).load(Optional.empty(), flags);
        }
        catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("the configuration was accepted");
    }
}
