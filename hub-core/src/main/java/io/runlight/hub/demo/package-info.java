/**
 * {@code runlight demo}: a hub with the bundled sample data, one integration per bundled
 * plugin, and a local receiver for their pushes, so nothing leaves the machine.
 */
package io.runlight.hub.demo;
