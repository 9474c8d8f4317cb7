/**
 * Who is calling: the hub's JWT keys (its own ES256 pair, or an identity provider's keys),
 * roles, bearer authentication of JWTs and opaque tokens, and the keys members of a cluster
 * trust each other with (docs/architecture.md, decision 5).
 */
package io.runlight.hub.auth;
