/**
 * Insights over the store: ingest of SBOMs, scan reports and runtime events (parsed whole
 * before anything is stored), recomputation of an image's verdicts with the engine on the member
 * that owns it, and reading them for the API and for connectors.
 */
package io.runlight.hub.insights;
