package com.loyaltybridge.tagsync;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The packages and their arrows, as the README's code map draws them: entry points
 * ({@code cli}, {@code api}) on top, then {@code scan}, {@code launch}, the jobs
 * ({@code wallet} on top of {@code sync}), and under them what the jobs are made of. A
 * class that imports against these arrows, or a cycle between packages, fails the build.
 */
class ArchitectureTest {

    private static final String BASE = "com.loyaltybridge.tagsync";

    /**
     * For each package, the packages of ours it may use; {@code ""} is the application
     * class's own package.
     */
    static final Map<String, List<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("cli", List.of("", "scan", "retention", "launch", "wallet", "sync", "config", "brazeexport",
                "bulkfile", "sessionm", "offers", "brazeapi", "storage"));
        MAY_USE.put("api", List.of("scan", "launch", "wallet", "sync", "ledger", "brazeexport", "bulkfile", "sessionm",
                "storage"));
        MAY_USE.put("console", List.of("api", "scan", "launch", "wallet", "sync", "ledger", "brazeexport", "bulkfile",
                "sessionm", "storage"));
        MAY_USE.put("scan", List.of("launch", "wallet", "sync", "ledger", "brazeexport", "storage"));
        MAY_USE.put("retention", List.of("launch", "wallet", "sync", "ledger", "brazeexport", "storage"));
        MAY_USE.put("launch", List.of("sync", "ledger", "brazeexport", "bulkfile", "sessionm"));
        MAY_USE.put("monitoring", List.of("wallet", "sync", "ledger", "brazeexport", "sessionm", "storage"));
        // The offers job: a job beside the tag sync, made of its shared steps and of the
        // Connect and Braze clients.
        MAY_USE.put("wallet", List.of("sync", "ledger", "offers", "brazeapi", "brazeexport", "storage"));
        MAY_USE.put("sync", List.of("ledger", "brazeexport", "bulkfile", "sessionm", "storage"));
        MAY_USE.put("ledger", List.of("brazeexport", "bulkfile", "storage"));
        MAY_USE.put("offers", List.of("brazeapi", "sessionm"));
        MAY_USE.put("brazeexport", List.of("storage"));
        MAY_USE.put("bulkfile", List.of("storage"));
        MAY_USE.put("brazeapi", List.of("sessionm"));
        MAY_USE.put("sessionm", List.of());
        MAY_USE.put("storage", List.of());
        MAY_USE.put("config", List.of());
        MAY_USE.put("", List.of());
        // Leaves every package may use: checks of untrusted text, CSV for people, the
        // HTTP stack of outside APIs.
        MAY_USE.put("text", List.of());
        MAY_USE.put("http", List.of());
    }

    /** Packages every package may use. */
    private static final List<String> LEAVES = List.of("text", "http");

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(BASE);

    @Test
    void noTwoPackagesUseEachOtherEvenThroughOthers() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @ParameterizedTest(name = "{0} uses only {1}")
    @MethodSource("arrows")
    void eachPackageUsesOnlyThePackagesUnderIt(String pkg, List<String> mayUse) {
        String[] allowed = Stream.of(Stream.of(pkg), mayUse.stream(), LEAVES.stream())
            .flatMap(names -> names)
            .map(ArchitectureTest::packageOf)
            .toArray(String[]::new);
        classes().that()
            .resideInAPackage(packageOf(pkg))
            .should()
            .onlyDependOnClassesThat(resideOutsideOfPackage(BASE + "..").or(resideInAnyPackage(allowed)))
            .check(CLASSES);
    }

    @Test
    void everyPackageOfOursHasItsLineInTheMap() {
        List<String> unlisted = CLASSES.stream()
            .map(JavaClass::getPackageName)
            .filter(name -> name.startsWith(BASE))
            .map(name -> name.equals(BASE) ? "" : name.substring(BASE.length() + 1).split("\\.")[0])
            .distinct()
            .filter(name -> !MAY_USE.containsKey(name))
            .toList();
        assertThat(unlisted).as("packages without a line in MAY_USE").isEmpty();
    }

    static Stream<Arguments> arrows() {
        return MAY_USE.entrySet()
            .stream()
            .map(arrow -> Arguments.of(arrow.getKey().isEmpty() ? "(application)" : arrow.getKey(), arrow.getValue()));
    }

    /**
     * The package pattern of {@code name}: its subpackages included, except for the
     * application's own package.
     */
    private static String packageOf(String name) {
        return name.isEmpty() || name.equals("(application)") ? BASE : BASE + "." + name + "..";
    }

}
