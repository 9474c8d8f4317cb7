// Small DOM and formatting helpers. Text is always set as text (never as HTML), so
// names and messages from the hub cannot inject markup.

/** Creates an element: h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child, ...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';

/** Creates an SVG element, attributes as given. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's content. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** An ISO instant as its UTC calendar date, YYYY-MM-DD; '—' when absent. */
export function isoDate(instant) {
  return instant ? new Date(instant).toISOString().slice(0, 10) : '—';
}

/** An ISO instant as YYYY-MM-DD HH:MM UTC; '—' when absent. */
export function isoDateTime(instant) {
  if (!instant) {
    return '—';
  }
  const text = new Date(instant).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/**
 * An ISO-8601 duration (P14DT1H, PT8H30M) for people, by its two largest units, truncated
 * as the hub's tables do: '14 d 1 h', '8 h 30 min', '45 s'; '—' when absent.
 */
export function humanDuration(iso) {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?)?$/.exec(iso || '');
  if (!match) {
    return iso ? iso : '—';
  }
  const amounts = match.slice(1).map(value => Number(value || 0));
  const units = ['d', 'h', 'min', 's'];
  const first = amounts.findIndex(amount => amount > 0);
  if (first < 0) {
    return iso === 'PT0S' ? '0 s' : '< 1 s';
  }
  const parts = [`${amounts[first]} ${units[first]}`];
  if (first + 1 < amounts.length && amounts[first + 1] > 0) {
    parts.push(`${amounts[first + 1]} ${units[first + 1]}`);
  }
  return parts.join(' ');
}

/**
 * When a token made now with this lifetime expires: UTC calendar months, clamped to the
 * month's last day (31 January + 1 month = 28 or 29 February), as the hub counts them.
 */
export function addMonthsUtc(from, months) {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(from.getUTCDate(), lastDay),
    from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
}

/** The lifetimes a token may have (API: expiresIn). */
export const EXPIRATIONS = [
  {period: 'P1M', months: 1, label: '1 month'},
  {period: 'P3M', months: 3, label: '3 months'},
  {period: 'P6M', months: 6, label: '6 months'},
  {period: 'P1Y', months: 12, label: '1 year'},
];

/** A status word as a coloured badge. */
export function badge(text, tone) {
  return h('span', {class: `badge ${tone || ''}`.trim()}, text);
}

const TONES = {
  ACTIVE: 'ok', STARTED: 'ok', IN_USE: 'bad', COMPLETE: 'ok',
  PAUSED: 'warn', LEARNING: 'warn', UNKNOWN: 'warn', LOADED: 'warn', STOPPED: 'warn',
  EXPIRED: 'bad', SEVERED: 'bad', FAILED: 'bad', REFUSED: 'bad', CRITICAL: 'bad', HIGH: 'bad',
  MEDIUM: 'warn', NOT_IN_USE: 'ok', EXPLOITED: 'bad',
};

/** A state such as ACTIVE or SEVERED as a badge of its usual colour. */
export function stateBadge(state) {
  return badge(String(state).replaceAll('_', ' '), TONES[state]);
}

/** The page's heading block: title, a sentence, and optional actions on the right. */
export function pageHead(title, description, ...actions) {
  return h('div', {class: 'page-head'},
    h('div', {}, h('h1', {}, title), description ? h('p', {class: 'muted'}, description) : null),
    actions.length ? h('div', {class: 'actions'}, actions) : null);
}

/** A table with a header row; rows are arrays of cells (a cell is a node, text, or {value, class}). */
export function table(caption, headers, rows, emptyText) {
  if (rows.length === 0) {
    return h('div', {class: 'table-wrap'}, h('p', {class: 'empty'}, emptyText));
  }
  const head = h('tr', {}, headers.map(header => h('th', {scope: 'col', class: header.class}, header.label ?? header)));
  const body = rows.map(row => h('tr', {}, row.map(cell => {
    if (cell && typeof cell === 'object' && !(cell instanceof Node) && 'value' in cell) {
      return h('td', {class: cell.class}, cell.value);
    }
    return h('td', {}, cell);
  })));
  return h('div', {class: 'table-wrap'},
    h('table', {}, h('caption', {class: 'visually-hidden'}, caption), h('thead', {}, head), h('tbody', {}, body)));
}

/** Shows a sentence in the page's live region (read out by screen readers); error: styled as a failure. */
export function notify(text, error = false) {
  const notice = document.getElementById('notice');
  notice.className = error ? 'notice error' : 'notice';
  notice.textContent = text;
}
