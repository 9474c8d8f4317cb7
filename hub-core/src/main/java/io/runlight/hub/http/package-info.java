/**
 * The HTTP edge: the Vert.x router, one handler class per resource, request bodies spooled
 * to files, authorisation by role and token scope, serve routes of connectors, and
 * {@link io.runlight.hub.http.ApiFailureHandler}, the one place where failures become
 * responses (CONTRIBUTING.md, style 9).
 */
package io.runlight.hub.http;
