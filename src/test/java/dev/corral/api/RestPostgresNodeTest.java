package dev.corral.api;

import dev.corral.testing.EnabledWithPostgres;
import dev.corral.testing.PostgresNodeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The core REST scenarios against a node whose log and snapshots live in PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresNodeProfile.class)
@EnabledWithPostgres
class RestPostgresNodeTest extends RestCoreScenarios {}
