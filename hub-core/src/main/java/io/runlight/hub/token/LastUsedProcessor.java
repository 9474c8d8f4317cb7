package io.runlight.hub.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.hazelcast.map.EntryProcessor;

import static java.util.Objects.requireNonNull;

/**
 * Records a token's last use on the member that owns it, but only when the stored time is
 * at least {@code minInterval} older, so a busy token costs one map (and database) write
 * per interval across the whole cluster. Does nothing for a deleted token.
 */
final class LastUsedProcessor
        implements EntryProcessor<String, String, Boolean>
{
    private static final long serialVersionUID = 1L;

    private final Instant usedAt;
    private final Duration minInterval;

    LastUsedProcessor(Instant usedAt, Duration minInterval)
    {
        this.usedAt = requireNonNull(usedAt, "usedAt is null");
        this.minInterval = requireNonNull(minInterval, "minInterval is null");
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry)
    {
        if (entry.getValue() == null) {
            return false;
        }
        TokenRecord token = TokenRecordCodec.fromJson(entry.getValue());
        if (token.lastUsedAt().isPresent() && usedAt.isBefore(token.lastUsedAt().get().plus(minInterval))) {
            return false;
        }
        entry.setValue(TokenRecordCodec.toJson(token.withLastUsedAt(usedAt)));
        return true;
    }
}
