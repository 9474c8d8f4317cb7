package io.runlight.insights.runtime;

/**
 * What is wrong with one event record. The record is rejected and reported as an
 * {@link EventError}; the other records of the batch are still read. Never leaves
 * this package: readers turn it into an error entry.
 */
final class RecordProblem
        extends RuntimeException
{
    RecordProblem(String message)
    {
        super(message, null, false, false);
    }
}
