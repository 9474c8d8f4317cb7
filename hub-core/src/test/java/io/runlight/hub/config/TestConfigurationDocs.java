package io.runlight.hub.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code docs/configuration.md} is generated from {@link HubOptions}: this test fails when
 * an option changed and the page was not regenerated, and says how to regenerate it.
 */
class TestConfigurationDocs
{
    private static final Path PAGE = Path.of(System.getProperty("basedir", ".")).resolve("../docs/configuration.md").normalize();

    @TempDir
    Path folder;

    @Test
    void docsPageIsWhatConfigReferenceGeneratesNow()
            throws IOException
    {
        assertThat(PAGE).as("the configuration reference page").isRegularFile();
        String onDisk = Files.readString(PAGE, StandardCharsets.UTF_8);

        assertThat(onDisk)
                .as("'%s' differs from the hub's option definitions: regenerate it from the repository's root folder with %s",
                        PAGE, ConfigReference.REGENERATE_DOCS_COMMAND)
                .isEqualTo(ConfigReference.page(HubOptions.ALL));
    }

    @Test
    void pageExplainsPrecedenceAndEndsWithOneRowPerOption()
    {
        String page = ConfigReference.page(HubOptions.ALL);

        assertThat(page).startsWith("# Configuration reference\n")
                .contains(ConfigReference.REGENERATE_DOCS_COMMAND,
                        "3. an environment variable: `RUNLIGHT_` and the key in upper case",
                        "| `http.port` | `RUNLIGHT_HTTP_PORT` | integer | `8080` | Plain HTTP port (0 picks a free port). |")
                .endsWith(ConfigReference.markdown(HubOptions.ALL));
    }

    @Test
    void mainWritesThePage()
            throws IOException
    {
        Path page = folder.resolve("docs/configuration.md");

        ConfigReference.main(new String[] {"page", page.toString()});

        assertThat(Files.readString(page)).isEqualTo(ConfigReference.page(HubOptions.ALL));
        assertThatThrownBy(() -> ConfigReference.main(new String[] {"html", page.toString()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("arguments [html, " + page + "] are not 'yaml FILE', 'markdown FILE' or 'page FILE'");
    }
}
