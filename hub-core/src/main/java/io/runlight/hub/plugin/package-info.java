/**
 * The plugin host (docs/architecture.md, decision 1): watches the plugins folder, loads each
 * jar with PF4J in its own class loader (which sees of the hub only the plugin API, PF4J and
 * SLF4J), refuses jars that break a size cap, bundle the plugin API or may stop the JVM, and
 * guards every call into plugin code with a timeout, a bound on running calls and the
 * plugin's context class loader.
 */
package io.runlight.hub.plugin;
