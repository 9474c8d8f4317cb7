/**
 * The hub's configuration: every option declared once ({@link io.runlight.hub.config.HubOptions}),
 * loaded once from a YAML file and {@code RUNLIGHT_*} environment variables, validated with every
 * problem reported at once, and handed to the services as a typed {@link io.runlight.hub.config.HubConfig}.
 */
package io.runlight.hub.config;
