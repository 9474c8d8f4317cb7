/**
 * The connector SPI: how a plugin hands Runlight's insights to another platform.
 *
 * <p>Plugins translate; the hub transports (docs/architecture.md, decision 2). A plugin contributes
 * a {@link io.runlight.plugin.api.connector.ConnectorFactory} (a PF4J extension). For each
 * integration an admin creates, the hub validates the configuration against the
 * factory's declared {@link io.runlight.plugin.api.connector.ConfigProperty properties}
 * and creates a {@link io.runlight.plugin.api.connector.Connector}. A connector that
 * pushes turns insights changes into messages and messages into HTTP requests, and
 * says what each response means; the hub stores the messages durably, sends them,
 * retries, rate-limits and dead-letters. A connector that serves declares routes; the
 * hub authenticates the caller with the integration's token and passes the request on.
 * Connectors never open sockets, sleep, or start threads of their own.
 */
package io.runlight.plugin.api.connector;
