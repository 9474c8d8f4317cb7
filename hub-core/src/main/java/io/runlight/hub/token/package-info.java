/**
 * Opaque tokens (docs/architecture.md, decision 4): secrets with a checksum, stored only as
 * hashes, with server-side expiry, renew and revoke, last use, and a limit on failed attempts
 * per address.
 */
package io.runlight.hub.token;
