/**
 * A template Runlight connector plugin, "HTTP summary": it posts a one-line summary of
 * every insights change to a URL with a bearer token, and serves the same lines on a
 * route of its own. Copy it to start a connector; docs/plugin-author-guide.md walks
 * through every file.
 */
package io.runlight.examples.summary;
