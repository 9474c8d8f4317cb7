/**
 * The value model that Runlight shares with connector plugins: images, packages,
 * vulnerabilities, workloads, runtime evidence and the insights derived from them.
 *
 * <p>Every type here is an immutable record or an enum. Records reject {@code null}
 * components with a message naming the component and copy the collections they are
 * given, so a plugin can keep any value it receives without defensive copies.
 * Nothing in this package depends on anything but the JDK.
 */
package io.runlight.plugin.api;
