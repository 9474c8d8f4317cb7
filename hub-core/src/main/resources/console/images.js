// Images: per image, how much smaller the working set is once runtime evidence is known
// (vulnerabilities in packages that run, of all), its packages and CVEs with their evidence,
// the workloads running it, and its VEX documents.
import {api, download} from './api.js';
import {h, svg, isoDate, isoDateTime, humanDuration, stateBadge, pageHead, table, notify} from './dom.js';

export const TITLE = 'Images';
const WORKLOAD_PAGES = 10;

export async function render(digest) {
  return digest ? detail(digest) : list();
}

async function list() {
  const images = [];
  let cursor = '';
  do {
    const page = await api('GET', `/api/v1/images?limit=200${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    images.push(...page.images);
    cursor = page.page.next || '';
  } while (cursor && images.length < 1000);
  return [
    pageHead('Images', 'Every image the hub has an SBOM for. Of all the vulnerabilities in an image, those in packages that containers actually loaded are the ones to fix first.'),
    images.length === 0
      ? h('div', {class: 'card empty'}, 'No images yet. Post an SBOM, a scan report and runtime events (runlight ingest sbom|vulns|events).')
      : images.map(image => h('section', {class: 'card', 'aria-labelledby': `image-${shortDigest(image.digest)}`},
        h('div', {class: 'image-head'},
          h('div', {},
            h('h2', {id: `image-${shortDigest(image.digest)}`}, h('a', {href: `#/images/${encodeURIComponent(image.digest)}`}, imageTitle(image))),
            h('p', {class: 'mono muted digest'}, image.digest)),
          profileLine(image.profile, image.finalIn)),
        workingSetChart(image.summary, image.vulnerabilityUsage, image.profile, image.finalIn))),
  ];
}

async function detail(digest) {
  const image = await api('GET', `/api/v1/images/${encodeURIComponent(digest)}`);
  const workloads = await workloadsOf(digest);
  const packagesByPurl = new Map(image.packages.map(item => [item.purl, item]));
  const vulnerabilities = [...image.vulnerabilities].sort((a, b) => a.rank - b.rank);
  const packages = [...image.packages].sort((a, b) => usageOrder(a.usage) - usageOrder(b.usage) || a.name.localeCompare(b.name));
  const fileBase = digest.replace(':', '-');
  return [
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/images'}, '← All images')),
    pageHead(imageTitle(image), null,
      h('button', {type: 'button', class: 'button secondary', 'data-key': 'vex-openvex',
        onclick: () => save(`/api/v1/images/${encodeURIComponent(digest)}/vex?format=openvex`, `${fileBase}.openvex.json`)}, 'Download OpenVEX'),
      h('button', {type: 'button', class: 'button secondary', 'data-key': 'vex-cyclonedx',
        onclick: () => save(`/api/v1/images/${encodeURIComponent(digest)}/vex?format=cyclonedx`, `${fileBase}.cdx.json`)}, 'Download CycloneDX VEX')),
    h('section', {class: 'card'},
      h('p', {class: 'mono muted digest'}, image.digest),
      image.names.length > 1 ? h('p', {class: 'muted'}, 'Also known as: ', image.names.slice(1).join(', ')) : null,
      profileLine(image.profile),
      workingSetChart(image.summary, usageCounts(image.vulnerabilities), image.profile)),
    h('h2', {}, `Workloads running it (${workloads.length})`),
    table('Workloads running this image', ['Cluster', 'Namespace', 'Workload', 'Container', 'Profile', {label: 'Packages in use', class: 'num'}, 'Last seen'],
      workloads.map(item => [item.workload.cluster, item.workload.namespace, `${item.workload.kind}/${item.workload.name}`, item.workload.container,
        stateBadge(item.profile.state), {value: String(item.packagesInUse.length), class: 'num'}, {value: isoDateTime(item.profile.lastSeen), class: 'nowrap'}]),
      'No runtime events name this image yet.'),
    h('h2', {}, `Vulnerabilities (${vulnerabilities.length})`),
    table('Vulnerabilities', [{label: 'Rank', class: 'num'}, 'Vulnerability', 'Package', 'Severity', {label: 'CVSS', class: 'num'}, 'Fixed in', 'Usage'],
      vulnerabilities.map(item => {
        const owner = packagesByPurl.get(item.purl);
        return [{value: String(item.rank), class: 'num'}, h('span', {class: 'nowrap'}, item.id),
          owner ? `${owner.name} ${owner.version}` : item.purl, stateBadge(item.severity),
          {value: item.cvss === undefined || item.cvss === null ? '—' : item.cvss.toFixed(1), class: 'num'},
          item.fixedIn && item.fixedIn.length ? item.fixedIn.join(', ') : '—', stateBadge(item.usage)];
      }),
      'No vulnerability report for this image yet.'),
    h('h2', {}, `Packages (${packages.length})`),
    table('Packages', ['Package', 'Version', 'Type', 'Usage', 'Confidence', 'Evidence'],
      packages.map(item => [h('strong', {}, item.name), h('code', {}, item.version), item.type, stateBadge(item.usage),
        item.confidence ? item.confidence.toLowerCase() : '—', evidence(item)]),
      'The SBOM lists no packages.'),
  ];
}

async function save(path, fileName) {
  try {
    await download(path, fileName);
    notify(`Downloaded ${fileName}.`);
  } catch (failure) {
    if (failure.status !== 401) {
      notify(`The VEX document could not be downloaded: ${failure.message}`, true);
    }
  }
}

/** The workload containers of this image, asked of the hub by digest (at most WORKLOAD_PAGES pages). */
async function workloadsOf(digest) {
  const found = [];
  let cursor = '';
  for (let page = 0; page < WORKLOAD_PAGES; page++) {
    const answer = await api('GET', `/api/v1/workloads?image=${encodeURIComponent(digest)}&limit=1000${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    found.push(...answer.workloads);
    cursor = answer.page.next;
    if (!cursor) {
      break;
    }
  }
  return found;
}

function evidence(item) {
  if (!item.evidence || item.evidence.length === 0) {
    if (item.reason) {
      // why Runlight cannot say: no files in the SBOM, a sensor that cannot see this kind of use, a learning profile
      return h('span', {class: 'muted', 'data-reason': item.name}, `Unknown: ${item.reason}`);
    }
    return h('span', {class: 'muted'}, item.usage === 'NOT_IN_USE' ? 'Never loaded' : '—');
  }
  return h('details', {'data-package': item.name},
    h('summary', {}, `${item.evidence.length} observation${item.evidence.length === 1 ? '' : 's'}`),
    h('ul', {}, item.evidence.map(entry => h('li', {},
      h('strong', {}, entry.kind), ' ', h('code', {}, entry.path),
      entry.process ? [' by ', h('code', {}, entry.process)] : null,
      ` · ${isoDate(entry.firstSeen)} to ${isoDate(entry.lastSeen)} · ${entry.count}×`))));
}

/** How many vulnerabilities are in use, not in use and unknown. */
function usageCounts(vulnerabilities) {
  const counts = {inUse: 0, notInUse: 0, unknown: 0};
  for (const item of vulnerabilities) {
    counts[{IN_USE: 'inUse', NOT_IN_USE: 'notInUse'}[item.usage] || 'unknown'] += 1;
  }
  return counts;
}

function profileLine(profile, finalIn) {
  const parts = [`${profile.containers} container${profile.containers === 1 ? '' : 's'}`];
  if (profile.observedFor) {
    parts.push(`observed for ${humanDuration(profile.observedFor)}`);
  }
  if (finalIn) {
    parts.push(`final in ${humanDuration(finalIn)}`);
  }
  if (profile.lastSeen) {
    parts.push(`last seen ${isoDate(profile.lastSeen)}`);
  }
  return h('p', {}, 'Runtime profile ', stateBadge(profile.state), h('span', {class: 'muted'}, ' ' + parts.join(' · ')));
}

/**
 * Horizontal bars: all vulnerabilities against those in use, and all packages against those
 * loaded. A smaller working set is claimed only when every verdict is final: while a profile
 * learns, or any verdict is unknown, the chart says what is known and when it becomes final.
 */
export function workingSetChart(summary, counts, profile, finalIn) {
  const total = summary.vulnerabilities;
  const inUse = summary.vulnerabilitiesInUse;
  const unknown = counts ? counts.unknown : total - inUse;
  const notInUse = counts ? counts.notInUse : 0;
  // the claim is about vulnerabilities: it holds once none of them is unknown (packages without vulnerabilities may still be)
  const settled = unknown === 0 && (!profile || profile.state === 'COMPLETE');
  const reduction = total === 0 ? 0 : Math.floor(100 * (total - inUse) / total);
  const label = settled
    ? `Working set: ${inUse} of ${total} vulnerabilities are in packages that run (${reduction}% fewer to fix first); `
      + `${summary.packagesInUse} of ${summary.packages} packages are in use${summary.packagesUnknown ? `, ${summary.packagesUnknown} unknown` : ''}.`
    : `Working set not known yet: ${inUse} in use, ${notInUse} not in use, ${unknown} unknown`
      + (finalIn ? `; final in ${humanDuration(finalIn)}.` : '.');
  const width = 640;
  const barStart = 190;
  const barWidth = 380;
  const largest = Math.max(total, summary.packages, 1);
  const scale = value => Math.round(barWidth * value / largest);
  const rows = [
    ['All vulnerabilities', total, 'bar-total'],
    ['Vulnerabilities in use', inUse, 'bar-used'],
    ['All packages', summary.packages, 'bar-total'],
    ['Packages in use', summary.packagesInUse, 'bar-pkg-used'],
  ];
  const rowHeight = 30;
  const title = 'chart-title-' + Math.random().toString(36).slice(2, 8);
  return h('div', {class: 'working-set'},
    h('div', {class: 'stats'},
      h('div', {class: 'stat'}, h('strong', {}, `${inUse} / ${total}`), h('span', {}, 'vulnerabilities in use')),
      settled
        ? h('div', {class: 'stat'}, h('strong', {}, `${reduction}%`), h('span', {}, 'smaller working set'))
        : h('div', {class: 'stat', 'data-key': 'not-final'}, h('strong', {}, `${inUse} · ${notInUse} · ${unknown}`),
          h('span', {}, `in use · not in use · unknown; ${finalIn ? 'final in ' + humanDuration(finalIn) : 'not final'}`)),
      h('div', {class: 'stat'}, h('strong', {}, `${summary.packagesInUse} / ${summary.packages}`), h('span', {}, 'packages in use'))),
    svg('svg', {class: 'chart', role: 'img', 'aria-labelledby': title, viewBox: `0 0 ${width} ${rows.length * rowHeight + 8}`, width, height: rows.length * rowHeight + 8},
      svg('title', {id: title}, label),
      rows.map(([name, value, style], index) => {
        const y = 4 + index * rowHeight;
        return svg('g', {},
          svg('text', {x: 0, y: y + 17}, name),
          svg('rect', {class: style, x: barStart, y: y + 4, width: Math.max(scale(value), value > 0 ? 2 : 0), height: 18, rx: 3}),
          svg('text', {x: barStart + scale(value) + 8, y: y + 17, 'font-weight': 600}, String(value)));
      })));
}

function imageTitle(image) {
  const name = image.names && image.names.length ? image.names[0] : image.digest;
  return name.replace(/@sha256:[0-9a-f]{64}$/, '') + (name.includes('@sha256:') ? ` @ ${shortDigest(image.digest)}` : '');
}

function shortDigest(digest) {
  return digest.replace('sha256:', '').slice(0, 12);
}

function usageOrder(usage) {
  return {IN_USE: 0, UNKNOWN: 1, NOT_IN_USE: 2}[usage] ?? 3;
}
