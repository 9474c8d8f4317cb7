package io.runlight.hub.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/architecture.md} describes the code as it is: every package and class it
 * names exists, its package tables list every package of the API (and its testing library), the engine and the hub,
 * and the "uses" column of the hub's table is what each package's bytecode depends on.
 */
class TestArchitectureDocument
{
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();
    private static final Path DOCUMENT = ROOT.resolve("docs/architecture.md");
    private static final String HUB = "io.runlight.hub";
    private static final Pattern PACKAGE = Pattern.compile("`(io\\.runlight(?:\\.[a-z][a-z0-9]*)+)`");
    private static final Pattern HUB_CLASS = Pattern.compile("`([a-z]+)\\.([A-Z][A-Za-z0-9]+)(?:[#.][A-Za-z]+)?`");
    private static final Pattern HUB_ROW = Pattern.compile("^\\| `(io\\.runlight\\.hub(?:\\.[a-z]+)?)` \\|.*\\| ([^|]+) \\|$", Pattern.MULTILINE);
    private static final Pattern MODULE_ROW = Pattern.compile("^\\| `([a-z-]+(?:/[a-z-]+)?)/`", Pattern.MULTILINE);

    private static String document;
    private static JavaClasses classes;

    @BeforeAll
    static void read()
            throws IOException
    {
        document = Files.readString(DOCUMENT);
        classes = ProductionClasses.all();
    }

    @Test
    void everyPackageItNamesExists()
    {
        Set<String> named = named(PACKAGE, 1);

        assertThat(named).hasSizeGreaterThan(25);
        assertThat(packages()).as("packages of the code").containsAll(named);
    }

    @Test
    void itListsEveryPackageOfTheApiTheEngineAndTheHub()
    {
        Set<String> listed = named(PACKAGE, 1);

        assertThat(listed).as("packages docs/architecture.md names").containsAll(packages());
    }

    @Test
    void everyHubClassItNamesExists()
    {
        Matcher matcher = HUB_CLASS.matcher(document);
        Set<String> named = new TreeSet<>();
        while (matcher.find()) {
            if (packages().contains(HUB + "." + matcher.group(1))) {
                named.add(HUB + "." + matcher.group(1) + "." + matcher.group(2));
            }
        }

        assertThat(named).hasSizeGreaterThan(15);
        assertThat(classes.stream().map(JavaClass::getName).collect(Collectors.toSet())).as("classes of the hub").containsAll(named);
    }

    @Test
    void theHubTableShowsWhatEachPackageUses()
    {
        Map<String, Set<String>> documented = new TreeMap<>();
        Matcher matcher = HUB_ROW.matcher(document);
        while (matcher.find()) {
            String uses = matcher.group(2).trim();
            documented.put(matcher.group(1), uses.equals("nothing of the hub") ? Set.of()
                    : Arrays.stream(uses.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new)));
        }
        Map<String, Set<String>> actual = new TreeMap<>();
        for (String hubPackage : packages()) {
            if (hubPackage.equals(HUB) || hubPackage.startsWith(HUB + ".")) {
                actual.put(hubPackage, uses(hubPackage));
            }
        }

        assertThat(documented).isEqualTo(actual);
    }

    @Test
    void everyModuleItNamesIsAMavenModule()
    {
        Set<String> modules = named(MODULE_ROW, 1);

        assertThat(modules).contains("plugin-api", "runtime-insights", "agent", "hub-core", "dist");
        assertThat(modules).allSatisfy(module -> assertThat(ROOT.resolve(module).resolve("pom.xml")).as(module).isRegularFile());
    }

    private static Set<String> named(Pattern pattern, int group)
    {
        Matcher matcher = pattern.matcher(document);
        Set<String> named = new TreeSet<>();
        while (matcher.find()) {
            named.add(matcher.group(group));
        }
        return named;
    }

    /** The packages of the plugin API, the engine, the agent and the hub. */
    private static Set<String> packages()
    {
        return classes.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> List.of("io.runlight.plugin", "io.runlight.insights", "io.runlight.agent", HUB).stream()
                        .anyMatch(prefix -> name.equals(prefix) || name.startsWith(prefix + ".")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The other hub packages that {@code hubPackage}'s classes depend on, by short name. */
    private static Set<String> uses(String hubPackage)
    {
        return classes.stream()
                .filter(javaClass -> javaClass.getPackageName().equals(hubPackage))
                .flatMap(javaClass -> javaClass.getDirectDependenciesFromSelf().stream())
                .map(Dependency::getTargetClass)
                .map(target -> target.getBaseComponentType().getPackageName())
                .filter(target -> target.startsWith(HUB + ".") && !target.equals(hubPackage))
                .map(target -> target.substring(HUB.length() + 1))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
