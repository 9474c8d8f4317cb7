package io.runlight.hub.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.runlight.hub.architecture.fixture.ImpureAnalyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The module arrows of docs/architecture.md hold for the real classes, and the rules do catch a
 * class that breaks them.
 */
class TestModuleBoundaries
{
    private static JavaClasses productionClasses;

    @BeforeAll
    static void importClasses()
    {
        productionClasses = ProductionClasses.all();
    }

    @Test
    void realClassesOfEveryModuleWereImported()
    {
        assertThat(productionClasses.stream().map(javaClass -> javaClass.getPackageName()).distinct())
                .contains("io.runlight.plugin.api", "io.runlight.plugin.api.connector", "io.runlight.insights.input", "io.runlight.agent.proc", "io.runlight.hub.cli");
    }

    @Test
    void runtimeInsightsIsAPureLibrary()
    {
        ModuleRules.pureLibrary("io.runlight.insights..").check(productionClasses);
    }

    @Test
    void runtimeInsightsHasNoClock()
    {
        ModuleRules.noClock("io.runlight.insights..").check(productionClasses);
    }

    @Test
    void pluginApiDependsOnTheJdkOnly()
    {
        ModuleRules.pluginApiDependsOnJdkOnly("io.runlight.plugin.api..").check(productionClasses);
    }

    @Test
    void neitherApiNorEngineKnowsTheHub()
    {
        ModuleRules.independentOfHub("io.runlight.plugin.api..").check(productionClasses);
        ModuleRules.independentOfHub("io.runlight.insights..").check(productionClasses);
    }

    @Test
    void agentKnowsNoHub()
    {
        ModuleRules.independentOfHub("io.runlight.agent..").check(productionClasses);
    }

    @Test
    void hubPackagesAreFreeOfCycles()
    {
        ModuleRules.freeOfPackageCycles("io.runlight.hub.(*)..").check(productionClasses);
    }

    @Test
    void cycleRuleCatchesTwoPackagesThatUseEachOther()
    {
        JavaClasses cycle = new ClassFileImporter().importPackages("io.runlight.hub.architecture.cycle");

        assertThatThrownBy(() -> ModuleRules.freeOfPackageCycles("io.runlight.hub.architecture.cycle.(*)..").check(cycle))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected: Slice left -> \n                Slice right -> \n                Slice left");
    }

    @Test
    void pureLibraryRuleCatchesAVertxDependency()
    {
        JavaClasses violator = new ClassFileImporter().importClasses(ImpureAnalyzer.class);

        assertThatThrownBy(() -> ModuleRules.pureLibrary("io.runlight.hub.architecture.fixture..").check(violator))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("runtime-insights is a pure library")
                .hasMessageContaining("io.vertx.core.Vertx");
    }

    @Test
    void noClockRuleCatchesInstantNow()
    {
        JavaClasses violator = new ClassFileImporter().importClasses(ImpureAnalyzer.class);

        assertThatThrownBy(() -> ModuleRules.noClock("io.runlight.hub.architecture.fixture..").check(violator))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Instant.now()");
    }

    @Test
    void pluginApiRuleCatchesAForeignDependency()
    {
        JavaClasses violator = new ClassFileImporter().importClasses(ImpureAnalyzer.class);

        assertThatThrownBy(() -> ModuleRules.pluginApiDependsOnJdkOnly("io.runlight.hub.architecture.fixture..").check(violator))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("io.vertx.core.Vertx");
    }
}
