package dev.corral.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.HardState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision of a voter that may have lost storage, on its own (the driver's side is {@link NodeLostStorageTest}). */
class LostStorageTest {
    @Test
    void onlyAVoterOfSeveralOnEmptyOrLostStorageAsks() {
        assertTrue(LostStorage.mustAsk(true, true, false));
        assertTrue(LostStorage.mustAsk(true, false, true));
        assertFalse(LostStorage.mustAsk(true, false, false), "storage with a history is trusted unless the operator says otherwise");
        assertFalse(LostStorage.mustAsk(false, true, true), "a single voter, or an observer, has no vote to protect");
    }

    @Test
    void asManyAnswersAsAQuorumOfAllVoters() {
        assertEquals(2, LostStorage.answersNeeded(3));
        assertEquals(3, LostStorage.answersNeeded(5));
        assertEquals(2, LostStorage.answersNeeded(2));
    }

    @Test
    void everyAnswerZeroOnEmptyStorageIsANewCluster() {
        LostStorage.Decision d = LostStorage.decide(HardState.EMPTY, true, false, List.of(0L, 0L));
        assertFalse(d.lost());
        assertEquals(HardState.EMPTY, d.hardState());
    }

    @Test
    void anyHistoryMeansTheStorageWasLostAndTheTermGoesAboveEveryAnswer() {
        LostStorage.Decision d = LostStorage.decide(HardState.EMPTY, true, false, List.of(0L, 9L, 4L));
        assertTrue(d.lost());
        assertEquals(new HardState(10, 0, 0), d.hardState());
        assertEquals(9, d.acknowledgedThroughTerm());
    }

    @Test
    void toldLostItKeepsAStoredTermAndVoteThatAreAlreadyHighest() {
        LostStorage.Decision d = LostStorage.decide(new HardState(12, 3, 40), false, true, List.of(5L, 11L));
        assertTrue(d.lost(), "the operator said so, even when every other term is lower");
        assertEquals(new HardState(12, 3, 40), d.hardState());
        assertEquals(12, d.acknowledgedThroughTerm());
        LostStorage.Decision below = LostStorage.decide(new HardState(4, 3, 40), false, true, List.of(0L, 0L));
        assertEquals(new HardState(4, 3, 40), below.hardState());
        LostStorage.Decision raised = LostStorage.decide(new HardState(4, 3, 40), false, true, List.of(7L, 2L));
        assertEquals(new HardState(8, 0, 40), raised.hardState(), "a raised term has no vote yet");
        assertEquals(7, raised.acknowledgedThroughTerm());
    }
}
