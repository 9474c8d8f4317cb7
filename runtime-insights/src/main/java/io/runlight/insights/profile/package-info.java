/**
 * Runtime profiles: what each workload container of an image was seen doing with files,
 * as immutable, associatively mergeable values ({@link io.runlight.insights.profile.ImageProfile},
 * {@link io.runlight.insights.profile.RuntimeProfile}), and the learning-window rule
 * ({@link io.runlight.insights.profile.ProfileSummaries}).
 */
package io.runlight.insights.profile;
