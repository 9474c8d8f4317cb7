/**
 * HTTPS material (docs/architecture.md, decision 6): PEM certificates and keys, and the
 * self-signed certificate the hub makes and keeps when none is configured.
 */
package io.runlight.hub.tls;
