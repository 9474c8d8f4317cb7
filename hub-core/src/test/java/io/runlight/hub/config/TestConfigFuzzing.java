package io.runlight.hub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.runlight.hub.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the configuration file (docs/reliability.md): any bytes as
 * {@code runlight.yaml} give a configuration or a {@link ConfigException} listing what is
 * wrong, never another exception. A normal build replays
 * {@code src/test/resources/io/runlight/hub/config/TestConfigFuzzingInputs/yaml/}; {@code mvn -Pfuzz} fuzzes.
 */
class TestConfigFuzzing
{
    @FuzzTest(maxDuration = "5m")
    void yaml(byte[] file)
            throws IOException
    {
        Path yaml = Files.createTempFile("runlight", ".yaml");
        try {
            Files.write(yaml, file);
            try {
                HubConfig config = new ConfigLoader(Map.of()).load(Optional.of(yaml), Map.of());
                // the file is all a configuration depends on: the same bytes load to an equal one
                assertThat(new ConfigLoader(Map.of()).load(Optional.of(yaml), Map.of())).isEqualTo(config);
            }
            catch (ConfigException e) {
                assertThat(e.errors()).isNotEmpty().allSatisfy(error -> assertThat(error).isNotBlank());
            }
        }
        finally {
            Files.delete(yaml);
        }
    }
}
