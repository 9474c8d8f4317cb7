/**
 * The root of the hub: the facts every hub package may know without depending on another
 * one: {@link io.runlight.hub.RunlightVersion} (read from {@code version.properties} beside
 * it), {@link io.runlight.hub.ErrorCategory} and {@link io.runlight.hub.HubFailure} (whose
 * fault a failure is, carried by every hub exception), and
 * {@link io.runlight.hub.ConfigException}. The packages below depend on each other in one
 * direction only; docs/architecture.md, "Packages of hub-core", draws the arrows.
 */
package io.runlight.hub;
