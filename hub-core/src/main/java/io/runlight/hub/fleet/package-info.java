/**
 * The fleet-wide vulnerability list: one row per vulnerability id across every image and
 * workload, kept on each member as aggregates derived from the images' computed insights
 * and updated for the ids an image change touches.
 */
package io.runlight.hub.fleet;
