package io.runlight.hub.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import io.runlight.hub.HubFailure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every exception the hub defines says whose fault it is (CONTRIBUTING.md, style 7), so the
 * one failure mapper can answer for it.
 */
class TestErrorCategories
{
    @Test
    void everyPublicHubExceptionCarriesACategory()
    {
        categorised("io.runlight.hub..").check(ProductionClasses.all());
    }

    @Test
    void theRuleCatchesAnExceptionWithoutACategory()
    {
        JavaClasses uncategorised = new ClassFileImporter().importClasses(UncategorisedException.class);

        assertThatThrownBy(() -> categorised("io.runlight.hub.architecture..").check(uncategorised))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(UncategorisedException.class.getName());
    }

    private static ArchRule categorised(String packagePattern)
    {
        return classes().that().resideInAPackage(packagePattern).and().areAssignableTo(RuntimeException.class).and().arePublic()
                .should().implement(HubFailure.class)
                .because("the failure mapper answers from the category every hub exception carries (CONTRIBUTING.md, style 7)");
    }

    /** A deliberately wrong exception: public, and silent about whose fault it is. */
    public static final class UncategorisedException
            extends RuntimeException
    {
    }
}
