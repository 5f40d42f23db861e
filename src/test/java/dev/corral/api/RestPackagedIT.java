package dev.corral.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The core REST scenarios against the packaged application ({@code target/quarkus-app/quarkus-run.jar}),
 * during {@code ./mvnw verify}. Failsafe sets {@code corral.jar}; under Surefire (for instance with
 * {@code -Dtest='Rest*'}) the package is not built yet, so the class is skipped there.
 */
@QuarkusIntegrationTest
@EnabledIfSystemProperty(named = "corral.jar", matches = ".+")
class RestPackagedIT extends RestCoreScenarios {}
