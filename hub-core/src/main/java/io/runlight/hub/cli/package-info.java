/**
 * The {@code runlight} command line (picocli): serve, demo, analyze, admin-token, and the
 * commands that drive a hub's API (token, integration, plugin, ingest). Errors go to stderr
 * in one or two sentences; exit code 0 on success, 1 when the job failed, 2 for bad usage.
 */
package io.runlight.hub.cli;
