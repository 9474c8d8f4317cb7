package io.runlight.hub.insights;

import java.util.List;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.runtime.Sensor;

import static java.util.Objects.requireNonNull;

/**
 * Which runtime sources fed an image and which kinds of load they showed they can see
 * (a package whose files need a kind none sees cannot be judged not in use).
 *
 * @param sensors the sources, in enum order
 * @param observable the kinds of load, in enum order
 */
public record ImageCoverage(List<Sensor> sensors, List<LoadKind> observable)
{
    /** No observation. */
    public static final ImageCoverage NONE = new ImageCoverage(List.of(), List.of());

    public ImageCoverage
    {
        sensors = List.copyOf(requireNonNull(sensors, "sensors is null"));
        observable = List.copyOf(requireNonNull(observable, "observable is null"));
    }
}
