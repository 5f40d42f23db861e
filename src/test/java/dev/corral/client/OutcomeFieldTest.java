package dev.corral.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The client decides whether a refused write may have happened from the error's {@code outcome} field, not its words. */
class OutcomeFieldTest {
    private static CorralException lost(String message) {
        return new CorralException.ConnectionLossException(message, "/a", null, false);
    }

    @Test
    void theOutcomeFieldDecides() {
        assertTrue(Transport.outcomeUnknown(lost("anything at all"), "unknown"));
        assertFalse(Transport.outcomeUnknown(lost("outcome unknown: the change may or may not have been made"), "not-made"));
        assertFalse(Transport.outcomeUnknown(lost("no leader"), "not-made"));
    }

    @Test
    void withoutTheFieldAnOlderNodesMessageStillCounts() {
        assertTrue(Transport.outcomeUnknown(lost("outcome unknown: the leader changed"), null));
        assertFalse(Transport.outcomeUnknown(lost("no leader"), null));
    }
}
