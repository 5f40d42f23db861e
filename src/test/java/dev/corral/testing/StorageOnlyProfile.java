package dev.corral.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A test application whose node does not start, so that tests can open the storage themselves. */
public class StorageOnlyProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("corral.autostart", "false");
    }
}
