// Vulnerabilities: the fleet-wide list, one row per vulnerability id, "In use" first and
// selected by default. Filters are chips, the order can be changed, the shown rows export
// as CSV, and each row opens its images and workload containers with their evidence.
import {api} from './api.js';
import {h, humanDuration, isoDate, stateBadge, pageHead, table, notify} from './dom.js';
import {verdictLine} from './overview.js';

export const TITLE = 'Vulnerabilities';
const MAX_PAGES = 10;
const USAGES = [['IN_USE', 'In use'], ['UNKNOWN', 'Unknown'], ['NOT_IN_USE', 'Not in use'], ['', 'All']];
const SEVERITIES = [['', 'Any'], ['CRITICAL', 'Critical'], ['HIGH', 'High or worse'], ['MEDIUM', 'Medium or worse'], ['LOW', 'Low or worse']];
const SEVERITY_ORDER = {CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, NEGLIGIBLE: 4, UNKNOWN: 5};
const SORTS = {
  rank: ['Rank (in use, severity, CVSS, exploitation, fix)', () => 0],
  severity: ['Severity', (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]],
  cvss: ['CVSS, highest first', (a, b) => (b.cvss ?? -1) - (a.cvss ?? -1)],
  epss: ['EPSS, highest first', (a, b) => (b.epss ?? -1) - (a.epss ?? -1)],
  workloads: ['Workloads in use, most first', (a, b) => b.workloadsInUse - a.workloadsInUse],
  images: ['Images, most first', (a, b) => b.images - a.images],
  id: ['ID', (a, b) => a.id.localeCompare(b.id)],
};
const CSV_HEADERS = ['id', 'severity', 'cvss', 'epss', 'knownExploited', 'fixAvailable', 'fixedIn', 'usage', 'images', 'workloads',
  'workloadsInUse', 'clusters', 'packages', 'inUseBy'];

// the page's state survives redraws (a chip click redraws the page), not a reload
const filters = {usage: 'IN_USE', severity: '', cluster: '', exploited: false, fixable: false};
let sortBy = 'rank';

export async function render(id, page) {
  return id ? detail(id) : list(page);
}

async function list(page) {
  const query = new URLSearchParams({limit: '1000'});
  for (const [name, value] of Object.entries({usage: filters.usage, severity: filters.severity, cluster: filters.cluster})) {
    if (value) {
      query.set(name, value);
    }
  }
  if (filters.exploited) {
    query.set('exploited', 'true');
  }
  if (filters.fixable) {
    query.set('fixable', 'true');
  }
  const [rows, summary] = await allRows(query);
  const clusters = await clusterNames();
  const sorted = [...rows].sort((a, b) => SORTS[sortBy][1](a, b) || a.sortIndex - b.sortIndex);
  const redraw = () => page.refresh();
  return [
    pageHead('Vulnerabilities', 'Every vulnerability id across all images and clusters. In use: an image runs it in a loaded package. '
      + 'Not in use: every affected image\'s verdict is final and no container loaded it. Unknown: anything else.',
    h('button', {type: 'button', class: 'button secondary', 'data-key': 'export-csv', onclick: () => exportCsv(sorted)}, 'Export CSV')),
    h('div', {class: 'card filters', role: 'group', 'aria-label': 'Filters'},
      chipGroup('Usage', 'usage', USAGES, redraw),
      chipGroup('Severity', 'severity', SEVERITIES, redraw),
      chipGroup('Cluster', 'cluster', [['', 'All'], ...clusters.map(name => [name, name])], redraw),
      h('div', {class: 'chip-group'}, h('span', {class: 'chip-label'}, 'Only'),
        toggleChip('Known exploited', 'exploited', redraw), toggleChip('Fix available', 'fixable', redraw)),
      h('div', {class: 'chip-group'},
        h('label', {for: 'sort', class: 'chip-label'}, 'Sort by'),
        h('select', {id: 'sort', 'data-key': 'sort', onchange: event => {
          sortBy = event.target.value;
          redraw();
        }}, Object.entries(SORTS).map(([key, [label]]) => h('option', {value: key, selected: key === sortBy}, label))))),
    h('p', {id: 'vulnerability-summary'}, `${rows.length} shown. `, verdictLine(summary)),
    table('Vulnerabilities', ['Vulnerability', 'Severity', {label: 'CVSS', class: 'num'}, {label: 'EPSS', class: 'num'}, 'Exploited', 'Fix', 'Usage',
      {label: 'Images', class: 'num'}, {label: 'Workloads in use / all', class: 'num'}, {label: 'Clusters', class: 'num'}, 'Packages'],
    sorted.map(row => [
      h('a', {href: `#/vulnerabilities/${encodeURIComponent(row.id)}`, class: 'nowrap', 'data-id': row.id}, row.id),
      stateBadge(row.severity),
      {value: row.cvss === undefined ? '—' : row.cvss.toFixed(1), class: 'num'},
      {value: row.epss === undefined ? '—' : row.epss.toFixed(3), class: 'num'},
      row.knownExploited ? stateBadge('EXPLOITED') : 'no',
      row.fixAvailable ? row.fixedIn.join(', ') : 'none',
      stateBadge(row.usage),
      {value: String(row.images), class: 'num'},
      {value: `${row.workloadsInUse} / ${row.workloads}`, class: 'num'},
      {value: String(row.clusters), class: 'num'},
      h('div', {}, row.packages.map(pkg => h('div', {class: 'nowrap'}, `${pkg.name} ${pkg.version} `, stateBadge(pkg.usage)))),
    ]),
    'No vulnerability matches these filters.'),
  ];
}

/** Every page of the list (at most MAX_PAGES), each row keeping its rank; and the summary. */
async function allRows(query) {
  const rows = [];
  let summary = null;
  let cursor = '';
  for (let index = 0; index < MAX_PAGES; index++) {
    const answer = await api('GET', `/api/v1/vulnerabilities?${query}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    answer.vulnerabilities.forEach(row => rows.push({...row, sortIndex: rows.length}));
    summary = answer.summary;
    cursor = answer.page.next;
    if (!cursor) {
      break;
    }
  }
  return [rows, summary];
}

async function clusterNames() {
  const answer = await api('GET', '/api/v1/workloads?limit=1000');
  return [...new Set(answer.workloads.map(item => item.workload.cluster))].sort();
}

function chipGroup(label, key, options, redraw) {
  return h('div', {class: 'chip-group', role: 'group', 'aria-label': label},
    h('span', {class: 'chip-label'}, label),
    options.map(([value, text]) => h('button', {type: 'button', class: 'chip', 'data-key': `${key}-${value || 'all'}`,
      'aria-pressed': String(filters[key] === value), onclick: () => {
        filters[key] = value;
        redraw();
      }}, text)));
}

function toggleChip(text, key, redraw) {
  return h('button', {type: 'button', class: 'chip', 'data-key': key, 'aria-pressed': String(filters[key]), onclick: () => {
    filters[key] = !filters[key];
    redraw();
  }}, text);
}

/** The rows shown, in the order shown, as the same CSV `runlight vulns --output csv` writes. */
function exportCsv(rows) {
  const lines = [CSV_HEADERS, ...rows.map(row => [row.id, row.severity, row.cvss ?? '', row.epss ?? '', row.knownExploited, row.fixAvailable,
    row.fixedIn.join(' '), row.usage, row.images, row.workloads, row.workloadsInUse, row.clusters,
    row.packages.map(pkg => `${pkg.purl} (${pkg.usage.toLowerCase().replaceAll('_', ' ')})`).join(', '),
    row.inUseBy.map(workload => [workload.cluster, workload.namespace, workload.kind, workload.name, workload.container].join('/')).join(' ')])];
  const text = lines.map(cells => cells.map(csvCell).join(',') + '\r\n').join('');
  const url = URL.createObjectURL(new Blob([text], {type: 'text/csv'}));
  const link = h('a', {href: url, download: 'runlight-vulnerabilities.csv', hidden: true});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  notify(`Exported ${rows.length} vulnerabilit${rows.length === 1 ? 'y' : 'ies'} to runlight-vulnerabilities.csv.`);
}

function csvCell(value) {
  let text = String(value);
  // a leading =, +, - or @ would be a formula in a spreadsheet
  if (/^[=+\-@]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function detail(id) {
  const vulnerability = await api('GET', `/api/v1/vulnerabilities/${encodeURIComponent(id)}`);
  return [
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/vulnerabilities'}, '← All vulnerabilities')),
    pageHead(vulnerability.id, null),
    h('section', {class: 'card'},
      h('p', {}, stateBadge(vulnerability.usage), ' ', stateBadge(vulnerability.severity),
        vulnerability.cvss === undefined ? '' : ` CVSS ${vulnerability.cvss.toFixed(1)}`,
        vulnerability.epss === undefined ? '' : ` · EPSS ${vulnerability.epss.toFixed(3)}`,
        vulnerability.knownExploited ? ' · known exploited' : '',
        ` · fixed in ${vulnerability.fixAvailable ? vulnerability.fixedIn.join(', ') : 'no known version'}`),
      h('p', {class: 'muted', id: 'detail-counts'},
        `${vulnerability.images} image${vulnerability.images === 1 ? '' : 's'}, ${vulnerability.workloadsInUse} of ${vulnerability.workloads} workload containers loaded it, `
        + `${vulnerability.clusters} cluster${vulnerability.clusters === 1 ? '' : 's'}.`)),
    vulnerability.affectedImages.map(image => h('section', {class: 'card', 'data-image': image.digest},
      h('h2', {class: 'card-title'}, h('a', {href: `#/images/${encodeURIComponent(image.digest)}`}, imageName(image)), ' ', stateBadge(image.usage)),
      h('p', {class: 'mono muted digest'}, image.digest),
      h('p', {}, 'Runtime profile ', stateBadge(image.profile.state), h('span', {class: 'muted'}, ` observed for ${humanDuration(image.profile.observedFor)}`)),
      table(`Packages of ${image.digest} with ${vulnerability.id}`, ['Package', 'Version', 'Usage', 'Fixed in', 'Evidence'],
        image.packages.map(pkg => [h('strong', {}, pkg.name), h('code', {}, pkg.version),
          h('div', {}, stateBadge(pkg.usage), pkg.reason ? h('span', {class: 'reason'}, pkg.reason) : null), pkg.fixedIn.join(', ') || '—', evidence(pkg.evidence)]),
        'No package.'),
      h('h3', {}, `Workload containers (${image.workloads.length})`),
      table(`Workload containers running ${image.digest}`, ['Cluster', 'Namespace', 'Workload', 'Container', 'Usage', 'Evidence'],
        image.workloads.map(workload => [workload.cluster, workload.namespace, `${workload.kind}/${workload.name}`, workload.container, stateBadge(workload.usage),
          h('div', {}, workload.packages.filter(pkg => pkg.evidence.length > 0).map(pkg => evidence(pkg.evidence)))]),
        'No runtime events name this image yet.'))),
  ];
}

function evidence(items) {
  if (!items || items.length === 0) {
    return h('span', {class: 'muted'}, '—');
  }
  return h('ul', {class: 'evidence'}, items.map(item => h('li', {},
    h('strong', {}, item.kind), ' ', h('code', {}, item.path),
    item.process ? [' by ', h('code', {}, item.process)] : null,
    ` · ${isoDate(item.firstSeen)} to ${isoDate(item.lastSeen)} · ${item.count}×`)));
}

function imageName(image) {
  const name = image.names.find(candidate => !candidate.includes('@')) || image.names[0] || image.digest;
  return name.replace(/@sha256:[0-9a-f]{64}$/, '');
}
