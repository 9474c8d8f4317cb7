/**
 * The HTTP client of the hub's own API that the CLI and the demo share: trust settings,
 * bearer tokens, upload progress, and the hub's refusals turned into exceptions with its message.
 */
package io.runlight.hub.client;
