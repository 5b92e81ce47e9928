package herd.launcher;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's layout, kept: README "Layout". {@code herd.engine} holds the public API (its
 * value types, and the two facade classes {@code Herd} and {@code HerdServer} that assemble
 * the internal packages) and {@code herd.engine.config} the public config; the monitor and
 * the launcher use nothing else.
 *
 * <p>ArchUnit reads bytecode: a compile-time constant (a {@code static final} String or
 * number) is copied into the class that uses it and leaves no dependency to check. Each rule
 * was checked against a mutant in {@code tools/mutants} (gui-uses-internals, mina-in-api,
 * package-cycle); the two Prometheus rules against a one-line change each (a Prometheus
 * type used in {@code herd.engine.node}, and in {@code herd.launcher.Main}).
 */
class ArchitectureTest {

    static JavaClasses herd;

    @BeforeAll
    static void importHerd() {
        herd = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("herd");
    }

    @Test
    void theEnginesInternalPackagesFormNoCycle() {
        slices().matching("herd.engine.(*)..").should().beFreeOfCycles().check(herd);
    }

    @Test
    void onlyTheFacadeReachesIntoTheInternalPackages() {
        // With this, the API's value types sit below every internal package and the facade
        // above them all: no cycle runs through herd.engine either.
        noClasses().that().resideInAPackage("herd.engine")
                .and().doNotHaveSimpleName("Herd").and().doNotHaveSimpleName("HerdServer")
                .and().doNotHaveSimpleName("HerdContext")
                .should().dependOnClassesThat(internal()).check(herd);
        noClasses().that(internal()).should().dependOnClassesThat()
                .haveSimpleName("Herd").orShould().dependOnClassesThat().haveSimpleName("HerdServer").check(herd);
    }

    @Test
    void theMonitorAndTheLauncherUseOnlyThePublicApi() {
        noClasses().that().resideInAnyPackage("herd.gui..", "herd.launcher..")
                .should().dependOnClassesThat(internal()).check(herd);
    }

    @Test
    void theEngineKnowsNothingOfPrometheus() {
        // The engine counts and gives snapshots (HerdServer.metrics()); exporting is the launcher's.
        noClasses().that().resideInAPackage("herd.engine..")
                .should().dependOnClassesThat().resideInAPackage("io.prometheus..").check(herd);
    }

    @Test
    void onlyTheMetricsPackageUsesThePrometheusClient() {
        noClasses().that().resideInAPackage("herd..").and().resideOutsideOfPackage("herd.launcher.metrics")
                .should().dependOnClassesThat().resideInAPackage("io.prometheus..").check(herd);
    }

    @Test
    void minaNeverAppearsInThePublicApi() {
        codeUnits().that().areDeclaredInClassesThat().resideInAnyPackage("herd.engine", "herd.engine.config")
                .and().areDeclaredInClassesThat().arePublic().and().arePublic()
                .should(notMention("org.apache.mina")).check(herd);
    }

    @Test
    void protocolConfigAndPlacesKnowNothingOfTheTransport() {
        noClasses().that().resideInAnyPackage("herd.engine.protocol..", "herd.engine.config..",
                        "herd.engine.places..", "herd.engine.node..", "herd.engine.eventlog..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.mina..").check(herd);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> internal() {
        return resideInAPackage("herd.engine..").and(not(resideInAnyPackage("herd.engine", "herd.engine.config")))
                .as("the engine's internal packages");
    }

    private static ArchCondition<JavaCodeUnit> notMention(String packagePrefix) {
        return new ArchCondition<>("not mention " + packagePrefix + " in its signature") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                boolean bad = unit.getRawReturnType().getName().startsWith(packagePrefix)
                        || unit.getRawParameterTypes().stream().anyMatch(t -> t.getName().startsWith(packagePrefix));
                if (bad) {
                    events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " mentions " + packagePrefix));
                }
            }
        };
    }
}
