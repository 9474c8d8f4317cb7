package io.runlight.hub.architecture;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The arrows of docs/architecture.md's module table, as ArchUnit rules over bytecode. Each rule
 * takes the package it governs so that a test can prove it catches a violation.
 */
final class ModuleRules
{
    private ModuleRules() {}

    /**
     * The engine is a pure library: no server, cluster, plugin framework, network or database. One
     * class may use JDBC: the cataloger's reader of rpm's SQLite database, a file inside the image.
     */
    static ArchRule pureLibrary(String packagePattern)
    {
        return noClasses().that().resideInAPackage(packagePattern)
                .and().doNotHaveFullyQualifiedName("io.runlight.insights.catalog.RpmSqliteDatabase")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.vertx..", "io.netty..", "com.hazelcast..", "org.pf4j..",
                        "io.github.resilience4j..", "java.net.http..", "java.sql..", "javax.sql..",
                        "io.runlight.hub..")
                .because("runtime-insights is a pure library: bytes and records in, records out (docs/architecture.md, Modules)");
    }

    /** The engine has no clock of its own: time comes from the data or a parameter. */
    static ArchRule noClock(String packagePattern)
    {
        return noClasses().that().resideInAPackage(packagePattern)
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .because("the same input must give the same verdicts: time comes from the data or a parameter (CONTRIBUTING.md, style 4)");
    }

    /** The plugin API depends on the JDK and PF4J's extension-point marker only. */
    static ArchRule pluginApiDependsOnJdkOnly(String packagePattern)
    {
        return classes().that().resideInAPackage(packagePattern)
                .should().onlyDependOnClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                "in java.*, the plugin API itself, or org.pf4j.ExtensionPoint",
                                javaClass -> javaClass.getPackageName().startsWith("java.")
                                        || javaClass.getPackageName().startsWith("io.runlight.plugin.api")
                                        || javaClass.getName().equals("org.pf4j.ExtensionPoint")
                                        || javaClass.isPrimitive()
                                        || (javaClass.isArray() && javaClass.getBaseComponentType().getPackageName().startsWith("java."))))
                .because("third parties compile against the plugin API: it may depend on the JDK only (docs/architecture.md, Modules)");
    }

    /** Nothing below the hub knows the hub. */
    static ArchRule independentOfHub(String packagePattern)
    {
        return noClasses().that().resideInAPackage(packagePattern)
                .should().dependOnClassesThat().resideInAPackage("io.runlight.hub..")
                .because("the hub depends on the engine and the API, never the other way round");
    }

    /**
     * The packages matched by {@code slicePattern} (one slice per {@code (*)}) depend on
     * each other in one direction only: a package cycle means neither side can be read,
     * tested or moved without the other.
     */
    static ArchRule freeOfPackageCycles(String slicePattern)
    {
        return slices().matching(slicePattern)
                .should().beFreeOfCycles()
                .because("a package cycle ties two features together: the consumer owns the interface it needs (docs/architecture.md, Packages of hub-core)");
    }
}
