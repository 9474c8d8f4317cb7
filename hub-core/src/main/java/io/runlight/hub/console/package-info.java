/**
 * The web console's static assets, served under {@code /console/} with a strict content
 * security policy; the console itself is plain JavaScript modules that call the API.
 */
package io.runlight.hub.console;
