package io.runlight.hub.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The production classes of every module on the test class path, imported once for the
 * architecture tests of this JVM: an import reads every class file and took seconds for
 * each of the three tests that made their own.
 */
final class ProductionClasses
{
    private static JavaClasses classes;

    private ProductionClasses() {}

    static synchronized JavaClasses all()
    {
        if (classes == null) {
            classes = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.runlight");
        }
        return classes;
    }
}
