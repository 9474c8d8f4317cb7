package io.runlight.hub.delivery;

import java.util.Locale;

/**
 * Which deliveries of an integration to list ({@code ?state=} of the deliveries endpoint).
 */
public enum DeliveryFilter
{
    /** Every pending delivery, attempted or not. */
    PENDING,
    /** Pending deliveries with at least one failed attempt. */
    FAILED,
    /** Dead letters. */
    DEAD;

    /** The filter named {@code value} ({@code pending}, {@code failed} or {@code dead}, any case). */
    public static DeliveryFilter parse(String value)
    {
        for (DeliveryFilter filter : values()) {
            if (filter.wireName().equalsIgnoreCase(value.strip())) {
                return filter;
            }
        }
        throw new IllegalArgumentException("delivery state '" + value + "' is unknown: use pending, failed or dead");
    }

    /** The name used in the API. */
    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean matches(Delivery delivery)
    {
        return switch (this) {
            case PENDING -> delivery.state() == DeliveryState.PENDING;
            case FAILED -> delivery.state() == DeliveryState.PENDING && delivery.attempts() > 0;
            case DEAD -> delivery.state() == DeliveryState.DEAD;
        };
    }
}
