// Overview: the fleet at a glance. How many vulnerabilities run (told honestly: no smaller
// working set is claimed while any verdict is unknown), which severities and packages they
// are in, which images are still learning and for how long, what the runtime sources have
// shown they observe, and how the integrations are doing.
import {api} from './api.js';
import {h, humanDuration, isoDateTime, stateBadge, pageHead, table} from './dom.js';

export const TITLE = 'Overview';
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NEGLIGIBLE', 'UNKNOWN'];
const KINDS = [
  ['exec', 'Programs started (exec): shows which executables run.'],
  ['mmap', 'Files mapped into memory (mmap): shows which shared libraries are loaded.'],
  ['open', 'Files opened: shows interpreted code (.py, .js, jars) and, for shared libraries, the loader\'s opens.'],
];

export async function render() {
  const [overview, integrations] = await Promise.all([api('GET', '/api/v1/overview'), api('GET', '/api/v1/integrations')]);
  const summary = overview.vulnerabilities;
  return [
    pageHead('Overview', 'The whole fleet at a glance: of every vulnerability the scanners report, the ones in packages that actually run come first.'),
    h('section', {class: 'card', 'aria-labelledby': 'fleet-numbers'},
      h('h2', {id: 'fleet-numbers', class: 'card-title'}, 'Fleet'),
      h('div', {class: 'stats', 'data-key': 'fleet-stats'},
        stat(overview.images, 'images', 'images'),
        stat(overview.workloads, 'workload containers', 'workloads'),
        stat(overview.clusters, 'clusters', 'clusters'),
        stat(summary.vulnerabilities, 'vulnerabilities', 'vulnerabilities'),
        stat(summary.inUse, 'in use', 'in-use'),
        stat(summary.notInUse, 'not in use', 'not-in-use'),
        stat(summary.unknown, 'unknown', 'unknown')),
      h('p', {id: 'fleet-verdict'}, verdictLine(summary)),
      h('p', {}, h('a', {href: '#/vulnerabilities'}, 'See the vulnerabilities in use →'))),
    h('div', {class: 'columns'},
      h('section', {'aria-labelledby': 'by-severity'},
        h('h2', {id: 'by-severity'}, 'In-use vulnerabilities by severity'),
        severityBars(overview.inUseBySeverity)),
      h('section', {'aria-labelledby': 'top-packages'},
        h('h2', {id: 'top-packages'}, 'Top in-use vulnerable packages'),
        table('Packages in use with the most vulnerabilities', ['Package', 'Version', {label: 'In use', class: 'num'}, 'Worst', {label: 'Images', class: 'num'}],
          overview.topInUsePackages.map(pkg => [h('strong', {}, pkg.name), h('code', {}, pkg.version), {value: String(pkg.vulnerabilities), class: 'num'},
            stateBadge(pkg.worstSeverity), {value: String(pkg.images), class: 'num'}]),
          'No package with vulnerabilities is in use.'))),
    h('h2', {id: 'profiles'}, 'Images by profile state'),
    h('p', {class: 'muted'}, `A profile is complete, and "not in use" a verdict, once an image has been observed for the learning window (${humanDuration(overview.learningWindow)}).`),
    table('Images by profile state', ['Image', 'Profile', 'Observed for', 'Final in', {label: 'Workloads', class: 'num'}],
      overview.profiles.map(image => [
        h('a', {href: `#/images/${encodeURIComponent(image.digest)}`}, imageName(image)),
        stateBadge(image.profile.state),
        humanDuration(image.profile.observedFor),
        image.finalIn ? h('span', {title: `at ${isoDateTime(image.finalAt)} if events keep coming`}, humanDuration(image.finalIn)) : '—',
        {value: String(image.workloads), class: 'num'}]),
      'No images yet.'),
    h('h2', {id: 'sources'}, 'Runtime sources and what they observe'),
    h('p', {class: 'muted'}, 'A package can be ruled out only by a source that could have seen its kind of use: one whose files need a kind no source sees stays unknown.'),
    table('Runtime sources', ['Source', {label: 'Images fed', class: 'num'}],
      overview.sources.map(source => [source.name, {value: String(source.images), class: 'num'}]),
      'No runtime source has fed the hub yet: send events from Falco, Tetragon, Tracee or the Runlight agent.'),
    table('Kinds of load the sources can see', ['Kind of load', 'Seen through', {label: 'Images covered', class: 'num'}],
      overview.observable.map(kind => [kind.what, kind.seenThrough, {value: String(kind.images), class: 'num'}]),
      ''),
    table('Kinds of use observed', ['Kind of use', 'What it shows', {label: 'Images with evidence', class: 'num'}],
      KINDS.map(([kind, what]) => [h('code', {}, kind), what, {value: String(overview.observedKinds[kind] ?? 0), class: 'num'}]),
      ''),
    h('h2', {id: 'integrations-health'}, 'Integrations'),
    table('Integrations and their health', ['Integration', 'Plugin', 'State', {label: 'Pending', class: 'num'}, {label: 'Dead', class: 'num'}, 'Last error'],
      integrations.map(integration => [h('a', {href: '#/integrations'}, integration.name), integration.plugin, stateBadge(integration.state),
        {value: String(integration.deliveries.pending), class: 'num'}, {value: String(integration.deliveries.dead), class: 'num'},
        integration.lastError ? h('span', {class: 'reason'}, integration.lastError) : '—']),
      'No integrations yet: connect Snyk, Docker Scout or a webhook on the Integrations page.'),
  ];
}

function stat(value, label, key) {
  return h('div', {class: 'stat', 'data-stat': key}, h('strong', {}, String(value)), h('span', {}, label));
}

/** What the counts mean: a smaller working set only when every verdict is final. */
export function verdictLine(summary) {
  if (summary.vulnerabilities === 0) {
    return 'No vulnerability reports yet.';
  }
  if (summary.unknown === 0) {
    const percent = Math.floor(100 * summary.notInUse / summary.vulnerabilities);
    return `Every verdict is final: ${summary.notInUse} of ${summary.vulnerabilities} vulnerabilities are ruled out (${percent}% smaller working set).`;
  }
  let line = `${summary.inUse} in use, ${summary.notInUse} not in use, ${summary.unknown} unknown: no smaller working set is claimed while verdicts are unknown.`;
  if (summary.observationLeft) {
    line += ` They become final in ${humanDuration(summary.observationLeft)} (${isoDateTime(summary.finalAt)}) if events keep coming.`;
  }
  return line;
}

function severityBars(bySeverity) {
  const largest = Math.max(1, ...SEVERITIES.map(severity => bySeverity[severity] || 0));
  return h('div', {class: 'table-wrap'}, h('table', {},
    h('caption', {class: 'visually-hidden'}, 'In-use vulnerabilities by severity'),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Severity'), h('th', {scope: 'col', class: 'num'}, 'In use'), h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Bar')))),
    h('tbody', {}, SEVERITIES.map(severity => {
      const count = bySeverity[severity] || 0;
      return h('tr', {'data-severity': severity},
        h('td', {}, stateBadge(severity)),
        h('td', {class: 'num'}, String(count)),
        h('td', {class: 'bar-cell'}, bar(severity, Math.round(100 * count / largest))));
    }))));
}

/** A bar of `percent` width: set through the CSSOM, which the console's CSP allows (a style attribute it would block). */
function bar(severity, percent) {
  const element = h('span', {class: `bar severity-${severity.toLowerCase()}`});
  element.style.width = `${percent}%`;
  return element;
}

function imageName(image) {
  const name = image.names.find(candidate => !candidate.includes('@')) || image.names[0] || image.digest;
  return name.replace(/@sha256:[0-9a-f]{64}$/, '');
}
