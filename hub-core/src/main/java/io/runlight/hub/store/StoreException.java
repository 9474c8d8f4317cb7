package io.runlight.hub.store;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

/**
 * The database behind the hub's maps or blobs failed (unreachable, full, refused a
 * statement). A map operation that throws it was not acknowledged: nothing was
 * stored. The message names the map or blob table, never a key or value.
 */
public final class StoreException
        extends RuntimeException
        implements HubFailure
{
    public StoreException(String message, Throwable cause)
    {
        super(message, cause);
    }

    public StoreException(String message)
    {
        super(message);
    }

    /** The database is the hub's own: its failure is the hub's, answered 500 without details. */
    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.INTERNAL;
    }

    @Override
    public String errorCode()
    {
        return "internal_error";
    }
}
