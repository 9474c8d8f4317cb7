/**
 * Key material (docs/architecture.md, decision 6): PEM blocks, read with BouncyCastle and
 * written as OpenSSL writes them; private files and folders in the data folder, replaced
 * atomically; PEM certificates and keys for HTTPS, and the self-signed certificate the hub
 * makes and keeps when none is configured.
 */
package io.runlight.hub.tls;
