/**
 * Integrations (docs/architecture.md, decision 2): an admin binds a connector, a configuration
 * and a token; this package keeps the records, creates each integration's connector, routes
 * served requests to it, offers it to delivery as a push target, and runs connection tests.
 */
package io.runlight.hub.integration;
