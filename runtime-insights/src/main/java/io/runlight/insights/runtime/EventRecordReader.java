package io.runlight.insights.runtime;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.insights.input.JsonInput;

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

    /**
     * Reads the object the parser is at (on its start) to its end, and returns what judges it.
     * Parsing comes first and judging after, so that a record that is not even JSON, or is
     * followed by more on its line, is rejected for that before anything in it is looked at.
     * By default the object is read as a tree for {@link #read(JsonNode, String, EventSink)};
     * a reader of a high-volume source may read the tokens itself, and must then judge every
     * record as its tree reading would.
     *
     * @throws IOException when the object is not well-formed JSON or is over a limit of the parser
     */
    default ParsedRecord parse(JsonParser parser, JsonInput json)
            throws IOException
    {
        JsonNode record = json.readTree(parser);
        return (location, sink) -> read(record, location, sink);
    }

    /** A record read to its end, not yet judged. */
    @FunctionalInterface
    interface ParsedRecord
    {
        /**
         * Judges the record: its events go to the sink, a part of it may be rejected there on its own.
         *
         * @throws RecordProblem when the whole record is unusable
         */
        void read(String location, EventSink sink);
    }
}
