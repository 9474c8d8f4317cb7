/**
 * Test doubles of the hub for connector plugins' tests: {@link io.runlight.plugin.testing.TestingConnectorContext}
 * (with {@link io.runlight.plugin.testing.TestingInsightsQuery}, {@link io.runlight.plugin.testing.TestingConnectorState}
 * and {@link io.runlight.plugin.testing.TestingClock}) and {@link io.runlight.plugin.testing.TestingHttpSender}.
 * Hand-written fakes rather than mocks, so a test exercises the connector as the hub calls it.
 */
package io.runlight.plugin.testing;
