package io.runlight.agent;

import java.util.List;

/** The agent's settings are wrong; the message lists every problem, one per line. */
public final class AgentSettingsException
        extends IllegalArgumentException
{
    private final List<String> problems;

    public AgentSettingsException(List<String> problems)
    {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, as a sentence. */
    public List<String> problems()
    {
        return problems;
    }
}
