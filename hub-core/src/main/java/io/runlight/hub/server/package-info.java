/**
 * {@link io.runlight.hub.server.Hub}: one hub process. It wires the store, tokens, plugins,
 * integrations, insights and delivery together and starts the HTTP and HTTPS servers.
 */
package io.runlight.hub.server;
