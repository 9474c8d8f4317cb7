// Plugins: every jar of the plugins folder, started, refused or failed (with the reason), and its connectors.
import {api} from './api.js';
import {h, stateBadge, badge, pageHead, table} from './dom.js';

export const TITLE = 'Plugins';

export async function render() {
  const plugins = await api('GET', '/api/v1/plugins');
  const rows = plugins.map(plugin => [
    h('div', {}, h('strong', {}, plugin.id), plugin.description ? h('span', {class: 'reason'}, plugin.description) : null),
    h('code', {class: 'nowrap'}, plugin.version),
    h('div', {}, stateBadge(plugin.state), plugin.error ? h('span', {class: 'reason'}, plugin.error) : null),
    plugin.connectors.length === 0
      ? h('span', {class: 'muted'}, 'None')
      : h('div', {}, plugin.connectors.map(connector => h('div', {class: 'connector'},
        h('span', {}, connector.displayName, ' ', h('code', {}, connector.id)), ' ',
        connector.capabilities.map(capability => [badge(capability), ' '])))),
    h('div', {}, plugin.provider || '—', h('span', {class: 'reason mono'}, plugin.jar)),
  ]);
  const started = plugins.filter(plugin => plugin.state === 'STARTED').length;
  const refused = plugins.filter(plugin => plugin.state === 'REFUSED' || plugin.state === 'FAILED').length;
  return [
    pageHead('Plugins',
      'Connector plugins are jars in the hub\'s plugins folder; the hub loads, reloads and unloads them while it runs. A jar that breaks a rule is refused, with the reason.'),
    h('p', {class: 'muted'}, `${plugins.length} plugin jar${plugins.length === 1 ? '' : 's'}, ${started} started, ${refused} refused or failed.`),
    table('Plugins', ['Plugin', 'Version', 'State', 'Connectors and capabilities', 'Provider and jar'], rows,
      'No plugin jars in the plugins folder.'),
  ];
}
