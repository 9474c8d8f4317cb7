/**
 * Which package owns a file: path normalisation ({@link io.runlight.insights.index.PathNormalizer}),
 * the per-image ownership index with its ecosystem rules ({@link io.runlight.insights.index.OwnershipIndex}),
 * and code/data file classification ({@link io.runlight.insights.index.CodeFileClassifier}).
 */
package io.runlight.insights.index;
