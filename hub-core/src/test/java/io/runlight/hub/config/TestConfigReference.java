package io.runlight.hub.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TestConfigReference
{
    /** A commented setting line: {@code # key: value} or {@code   # key:}. */
    private static final Pattern SETTING = Pattern.compile("^( *)# ([a-z][a-z0-9.-]*):(?: (.*))?$");

    @TempDir
    Path folder;

    @Test
    void yamlListsEveryOptionOnceInOrderWithItsDefault()
    {
        Map<String, String> listed = settings(ConfigReference.yaml(HubOptions.ALL));

        assertThat(listed.keySet()).containsExactlyElementsOf(HubOptions.ALL.stream().map(ConfigOption::key).toList());
        assertThat(listed).containsEntry("data-dir", "./runlight-data")
                .containsEntry("http.port", "8080")
                .containsEntry("https.cert", "")
                .containsEntry("cluster.members", "[]")
                .containsEntry("database.password", "")
                .containsEntry("insights.learning-window", "PT24H")
                .containsEntry("plugins.dir", "");
    }

    @Test
    void yamlAsShippedChangesNothing()
            throws IOException
    {
        Path file = folder.resolve("runlight.yaml");
        Files.writeString(file, ConfigReference.yaml(HubOptions.ALL), StandardCharsets.UTF_8);

        ConfigLoader loader = new ConfigLoader(Map.of());
        assertThat(loader.load(Optional.of(file), Map.of())).isEqualTo(loader.load(Optional.empty(), Map.of()));
    }

    @Test
    void uncommentingEverySettingSetsExactlyTheDefaults()
            throws IOException
    {
        StringBuilder uncommented = new StringBuilder();
        for (String line : ConfigReference.yaml(HubOptions.ALL).split("\n", -1)) {
            Matcher setting = SETTING.matcher(line);
            uncommented.append(setting.matches() ? setting.group(1) + line.substring(setting.group(1).length() + 2) : line).append('\n');
        }
        Path file = folder.resolve("uncommented.yaml");
        Files.writeString(file, uncommented.toString(), StandardCharsets.UTF_8);

        ConfigLoader loader = new ConfigLoader(Map.of());
        assertThat(uncommented.toString()).contains("\nhttp:\n", "\n  port: 8080\n", "\ndata-dir: ./runlight-data\n", "\n  members: []\n");
        assertThat(loader.load(Optional.of(file), Map.of())).isEqualTo(loader.load(Optional.empty(), Map.of()));
    }

    @Test
    void markdownHasOneRowPerOption()
    {
        String markdown = ConfigReference.markdown(HubOptions.ALL);

        List<String> rows = markdown.lines().skip(2).toList();
        assertThat(rows).hasSize(HubOptions.ALL.size());
        assertThat(rows.get(0)).isEqualTo("| `data-dir` | `RUNLIGHT_DATA_DIR` | path | `./runlight-data` | "
                + HubOptions.DATA_DIR.description() + " |");
        assertThat(rows).contains("| `database.password` | `RUNLIGHT_DATABASE_PASSWORD` | string | (none; secret) | Database password. |",
                "| `cluster.members` | `RUNLIGHT_CLUSTER_MEMBERS` | list | (empty) | " + HubOptions.CLUSTER_MEMBERS.description() + " |");
    }

    @Test
    void mainWritesBothForms()
            throws IOException
    {
        Path yaml = folder.resolve("conf/runlight.yaml");
        Path markdown = folder.resolve("docs/configuration.md");

        ConfigReference.main(new String[] {"yaml", yaml.toString()});
        ConfigReference.main(new String[] {"markdown", markdown.toString()});

        assertThat(Files.readString(yaml)).isEqualTo(ConfigReference.yaml(HubOptions.ALL));
        assertThat(Files.readString(markdown)).isEqualTo(ConfigReference.markdown(HubOptions.ALL));
    }

    /** Full key → value text of every commented setting line, in file order. */
    static Map<String, String> settings(String yaml)
    {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        String section = "";
        for (String line : yaml.split("\n")) {
            if (line.matches("[a-z][a-z0-9-]*:")) {
                section = line.substring(0, line.length() - 1);
                continue;
            }
            Matcher setting = SETTING.matcher(line);
            if (setting.matches()) {
                String key = setting.group(1).isEmpty() ? setting.group(2) : section + "." + setting.group(2);
                if (settings.put(key, setting.group(3) == null ? "" : setting.group(3)) != null) {
                    duplicates.add(key);
                }
            }
        }
        assertThat(duplicates).isEmpty();
        return settings;
    }
}
