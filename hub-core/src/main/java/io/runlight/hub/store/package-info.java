/**
 * The hub's state (docs/architecture.md, decision 3): an embedded Hazelcast member whose
 * durable maps are written through to H2 or PostgreSQL, the blob table for raw documents,
 * and {@link io.runlight.hub.store.JsonCodec} for the JSON map values.
 */
package io.runlight.hub.store;
