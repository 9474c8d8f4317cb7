package io.runlight.insights.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one JSON record of a source (a Falco alert, a Tetragon event, a Tracee event, a
 * Runlight event) into runtime events. A record that observes no file (a network
 * alert, a process exit) yields nothing and is not an error.
 */
interface EventRecordReader
{
    /**
     * Reads one record.
     *
     * @param record the record, a JSON object
     * @param location where it is, for errors ({@code line 7}, {@code /3})
     * @param sink where events go; a part of the record may be rejected there on its own
     * @throws RecordProblem when the whole record is unusable
     */
    void read(JsonNode record, String location, EventSink sink);
}
