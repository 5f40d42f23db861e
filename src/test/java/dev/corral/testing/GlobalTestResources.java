package dev.corral.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Test resources every Quarkus test application gets: a fresh data directory. */
@QuarkusTestResource(TempDataDir.class)
public class GlobalTestResources {}
