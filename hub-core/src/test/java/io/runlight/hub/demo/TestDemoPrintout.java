package io.runlight.hub.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's fleet line claims a working-set reduction only when no verdict is unknown,
 * and otherwise says what is known and when the rest becomes final.
 */
final class TestDemoPrintout
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void learningImagesGetNoReductionButATime()
            throws Exception
    {
        JsonNode summary = JSON.readTree("{\"vulnerabilities\":14,\"inUse\":10,\"notInUse\":0,\"unknown\":4,\"final\":false,"
                + "\"learningImages\":2,\"observationLeft\":\"PT18H\",\"finalAt\":\"2026-11-29T03:00:00Z\"}");
        assertThat(DemoPrintout.fleetLine(summary)).isEqualTo("Fleet: 14 vulnerabilities: 10 in use, 0 not in use, 4 unknown. "
                + "No working-set reduction is claimed while verdicts are unknown; they become final after 18 h more observation (2026-11-29T03:00:00Z if events keep coming).");
    }

    @Test
    void unknownVerdictsThatWaitingWillNotSettleGetNoTime()
            throws Exception
    {
        JsonNode summary = JSON.readTree("{\"vulnerabilities\":24,\"inUse\":10,\"notInUse\":10,\"unknown\":4,\"final\":false,\"learningImages\":0}");
        assertThat(DemoPrintout.fleetLine(summary)).isEqualTo("Fleet: 24 vulnerabilities: 10 in use, 10 not in use, 4 unknown. No working-set reduction is claimed while verdicts are unknown.");
    }

    @Test
    void finalVerdictsClaimTheReductionRoundedDown()
            throws Exception
    {
        JsonNode summary = JSON.readTree("{\"vulnerabilities\":3,\"inUse\":1,\"notInUse\":2,\"unknown\":0,\"final\":true,\"workingSetReduction\":0.6666,\"learningImages\":0}");
        assertThat(DemoPrintout.fleetLine(summary)).isEqualTo("Fleet: 3 vulnerabilities: 1 in use, 2 not in use, 0 unknown (66% smaller working set).");
    }
}
