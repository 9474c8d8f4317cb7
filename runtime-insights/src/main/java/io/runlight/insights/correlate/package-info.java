/**
 * Correlation: from an image's SBOM, scan reports and runtime profile to verdicts.
 *
 * <h2>Evidence (docs/architecture.md, decision 7)</h2>
 * <ul>
 * <li>Every observed file (normalised by {@link io.runlight.insights.index.PathNormalizer})
 *     is looked up in the image's {@link io.runlight.insights.index.OwnershipIndex}.</li>
 * <li>An exec, an mmap, or an open of a code file
 *     ({@link io.runlight.insights.index.CodeFileClassifier}) is a <em>load</em>: the owning
 *     packages are {@code IN_USE}, with the strongest confidence of the index's claims
 *     (FILE, then DIRECTORY, BINARY, NESTED).</li>
 * <li>Any other open is evidence of <em>access</em> only; it makes a package in use only
 *     when {@link io.runlight.insights.correlate.AnalysisPolicy#dataOpensCount()} says so.</li>
 * <li>A package with no load is {@code NOT_IN_USE} only when the image's profile is
 *     {@code COMPLETE} (observed for at least the learning window, measured from the first
 *     event to {@code asOf}) and the SBOM gave the package files, locations or a
 *     directory rule an event could match; otherwise {@code UNKNOWN}. No events: profile
 *     {@code NONE}, every package {@code UNKNOWN}.</li>
 * <li>Each verdict carries at most {@code maxEvidencePerPackage} evidence records, merged
 *     per (kind, path, process): loads first, then by path, kind and process.</li>
 * </ul>
 *
 * <h2>Image and workloads</h2>
 * The image verdict aggregates every workload container that runs the image (in use in
 * any container means in use). Each container also gets its own
 * {@link io.runlight.plugin.api.WorkloadInsights}: the packages it loaded, with its own
 * evidence and profile summary. Packages that share a purl get one verdict; packages are
 * ordered by purl string. The image's digest is the SBOM's primary digest; its aliases and
 * names are the union of the SBOM's and the reports' identities.
 *
 * <h2>Vulnerabilities</h2>
 * Findings join to SBOM packages by canonical purl (qualifier order does not matter), then
 * by purl without qualifiers, then by type, name and version (name and version when the
 * report gives no type). A finding whose package is not in the SBOM is <em>kept</em> with
 * usage {@code UNKNOWN}: the scanner found it in the image, but without its files no verdict
 * can be given. The same (id, package) from several reports is merged (worst known
 * severity, highest CVSS with its vector, union of fixes and aliases, known exploitation if
 * any says so, highest EPSS). {@link io.runlight.insights.correlate.VulnerabilityRanking}
 * gives rank 1 to the most pressing: in use, then unknown, then not in use; then severity,
 * CVSS, known exploitation, EPSS, fix available; then id and purl.
 */
package io.runlight.insights.correlate;
