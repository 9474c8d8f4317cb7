/**
 * The plugin host (docs/architecture.md, decision 1): watches the plugins folder, loads each
 * jar with PF4J in its own class loader, refuses jars that bundle the plugin API, and guards
 * every call into plugin code with a timeout and the plugin's context class loader.
 */
package io.runlight.hub.plugin;
