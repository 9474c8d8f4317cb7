// Integrations: state and deliveries of each, pause/resume, connection test, retry of dead
// deliveries, and a new integration from its connector's declared configuration form.
import {api} from './api.js';
import {h, replace, isoDate, isoDateTime, stateBadge, pageHead, table, notify, EXPIRATIONS} from './dom.js';
import {openDialog, cancelButton} from './dialogs.js';
import {showSecretOnce, addToken} from './tokens.js';

export const TITLE = 'Integrations';

export async function render(parameter, page) {
  const [integrations, plugins] = await Promise.all([api('GET', '/api/v1/integrations'), api('GET', '/api/v1/plugins')]);
  integrations.sort((a, b) => a.name.localeCompare(b.name));
  const connectors = plugins.filter(plugin => plugin.state === 'STARTED')
    .flatMap(plugin => plugin.connectors.map(connector => ({...connector, plugin: plugin.id})));
  const rows = integrations.map(integration => [
    h('div', {}, h('strong', {}, integration.name), h('span', {class: 'reason mono'}, integration.id)),
    integration.connector === integration.plugin
      ? integration.plugin
      : h('div', {}, integration.plugin, h('span', {class: 'reason'}, `connector ${integration.connector}`)),
    h('div', {'data-state': integration.id}, stateBadge(integration.state), integration.reason ? h('span', {class: 'reason'}, integration.reason) : null),
    {value: integration.lastSuccessAt ? isoDateTime(integration.lastSuccessAt) : 'Never', class: 'nowrap'},
    integration.lastError
      ? h('div', {}, h('span', {class: 'nowrap'}, isoDateTime(integration.lastErrorAt)), h('span', {class: 'reason'}, integration.lastError))
      : h('span', {class: 'muted'}, 'None'),
    {value: String(integration.deliveries.pending), class: 'num'},
    {value: String(integration.deliveries.dead), class: 'num'},
    integration.token
      ? h('div', {class: 'nowrap'}, isoDate(integration.token.expiresAt), h('span', {class: 'reason'}, integration.token.status))
      : h('span', {class: 'muted'}, 'No token'),
    h('div', {class: 'actions'}, actionButtons(integration, integrations, page)),
  ]);
  return [
    pageHead('Integrations',
      'Each integration connects one platform (Snyk, Docker Scout, a webhook) through a connector plugin, with a token of its own. A deleted or expired token severs it.',
      // deliveries change state on their own (sent, retried, dead): the admin asks for a fresh view
      h('button', {type: 'button', class: 'button secondary', 'data-key': 'refresh-integrations',
        onclick: () => { notify(''); page.refresh(); }}, 'Refresh'),
      h('button', {type: 'button', class: 'button', 'data-key': 'new-integration', disabled: connectors.length === 0,
        onclick: () => create(connectors, page)}, '+ New integration')),
    connectors.length === 0 ? h('p', {class: 'notice error'}, 'No connector plugin is started, so no integration can be created: see Plugins.') : null,
    table('Integrations', ['Integration', 'Plugin', 'State', 'Last delivery', 'Last error', {label: 'Pending', class: 'num'},
      {label: 'Dead', class: 'num'}, 'Token expires', {label: 'Actions', class: 'actions-col'}], rows,
    'No integrations yet. Create one from a connector plugin.'),
  ];
}

function actionButtons(integration, integrations, page) {
  const key = suffix => `${suffix}-${integration.id}`;
  const paused = integration.state === 'PAUSED';
  const buttons = [
    h('button', {type: 'button', class: 'button secondary small', 'data-key': key('pause'),
      'aria-label': `${paused ? 'Resume' : 'Pause'} integration ${integration.name}`,
      onclick: () => act(integration, paused ? 'resume' : 'pause', page)}, paused ? 'Resume' : 'Pause'),
    h('button', {type: 'button', class: 'button secondary small', 'data-key': key('test'),
      'aria-label': `Test the connection of integration ${integration.name}`, onclick: () => test(integration)}, 'Test'),
  ];
  if (integration.state === 'SEVERED') {
    buttons.unshift(h('button', {type: 'button', class: 'button small', 'data-key': key('token'),
      'aria-label': `New token for integration ${integration.name}`, onclick: () => addToken(integrations, page, integration.id)}, 'New token'));
  }
  if (integration.deliveries.dead > 0) {
    buttons.push(h('button', {type: 'button', class: 'button secondary small', 'data-key': key('dead'),
      onclick: () => deadLetters(integration, page)}, `Retry dead (${integration.deliveries.dead})`));
  }
  return buttons;
}

async function act(integration, action, page) {
  try {
    await api('POST', `/api/v1/integrations/${encodeURIComponent(integration.id)}/${action}`);
    notify(`Integration "${integration.name}" ${action === 'pause' ? 'paused' : 'resumed'}.`);
  } catch (failure) {
    if (failure.status !== 401) {
      notify(`Could not ${action} integration "${integration.name}": ${failure.message}`, true);
    }
  }
  page.refresh();
}

async function test(integration) {
  notify(`Testing the connection of "${integration.name}"…`);
  try {
    const result = await api('POST', `/api/v1/integrations/${encodeURIComponent(integration.id)}/test`);
    const status = result.status ? ` (HTTP ${result.status})` : '';
    notify(`Connection test of "${integration.name}" ${result.ok ? 'passed' : 'failed'}${status}: ${result.message}`, !result.ok);
  } catch (failure) {
    if (failure.status !== 401) {
      notify(`Connection test of "${integration.name}" failed: ${failure.message}`, true);
    }
  }
}

async function deadLetters(integration, page) {
  const title = `Retry dead deliveries of "${integration.name}"?`;
  const where = integration.state === 'ACTIVE' ? 'They are sent again at once.' : `They wait while the integration is ${integration.state.toLowerCase()}.`;
  const handle = openDialog({title, wide: true, body: [h('p', {}, 'Loading…')]});
  const retry = async delivery => {
    await api('POST', `/api/v1/integrations/${encodeURIComponent(integration.id)}/deliveries/${encodeURIComponent(delivery.id)}/retry`);
  };
  const draw = async () => {
    let deliveries;
    try {
      deliveries = await api('GET', `/api/v1/integrations/${encodeURIComponent(integration.id)}/deliveries?state=dead`);
    } catch (failure) {
      handle.rebuild({title, wide: true, body: [h('p', {class: 'field-error'}, failure.message)], actions: [cancelButton(handle, 'Close')]});
      return;
    }
    const rows = deliveries.map(delivery => [
      h('div', {}, delivery.eventType, h('span', {class: 'reason mono'}, delivery.key)),
      {value: String(delivery.attempts), class: 'num'},
      {value: [delivery.lastStatus ? `HTTP ${delivery.lastStatus}: ` : '', delivery.lastError || '—'], class: 'error-text'},
      isoDateTime(delivery.createdAt),
      h('button', {type: 'button', class: 'button secondary small', 'aria-label': `Retry delivery ${delivery.id}`, onclick: async () => {
        try {
          await retry(delivery);
          notify(`Delivery ${delivery.id} is queued again.`);
        } catch (failure) {
          notify(`Delivery ${delivery.id} was not queued again: ${failure.message}`, true);
        }
        draw();
      }}, 'Retry'),
    ]);
    const actions = [cancelButton(handle, deliveries.length ? 'Cancel' : 'Close')];
    if (deliveries.length) {
      // the confirmation: nothing is queued again until the admin presses this
      const all = h('button', {type: 'button', class: 'button', 'data-autofocus': true, onclick: async () => {
        all.disabled = true;
        const failed = [];
        for (const delivery of deliveries) {
          try {
            await retry(delivery);
          } catch (failure) {
            failed.push(`${delivery.id}: ${failure.message}`);
          }
        }
        const queued = deliveries.length - failed.length;
        notify(failed.length
          ? `${queued} of ${deliveries.length} dead deliveries of "${integration.name}" are queued again; not queued: ${failed.join(' ')}`
          : `${queued} dead ${queued === 1 ? 'delivery' : 'deliveries'} of "${integration.name}" queued again as pending.`, failed.length > 0);
        handle.close('retried');
      }}, deliveries.length === 1 ? 'Retry 1 delivery' : `Retry all ${deliveries.length} deliveries`);
      actions.push(all);
    }
    handle.rebuild({title, wide: true,
      body: [h('p', {}, 'These deliveries failed for good or ran out of attempts. Retrying queues them again as pending, with the same ids (so the receiver can drop duplicates), and attempts start over. ',
        where),
      table('Dead deliveries', ['Event', {label: 'Attempts', class: 'num'}, 'Last error', 'Created', 'Retry'], rows, 'No dead deliveries left.')],
      actions});
  };
  draw();
  await handle.closed;
  page.refresh();
}

/** One input per declared configuration property: secrets as password fields, the type's own control otherwise. */
function propertyField(property) {
  const id = `config-${property.name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = `${hintId} ${errorId}`;
  let control;
  // the plugin's description, as a sentence, then what the control expects
  let hint = property.description ? property.description.replace(/([^.!?])$/, '$1.') : '';
  switch (property.type) {
    case 'BOOLEAN':
      control = h('input', {id, name: property.name, type: 'checkbox', checked: property.default === 'true', 'aria-describedby': described});
      return h('div', {class: 'field', 'data-property': property.name},
        h('label', {class: 'check', for: id}, control, property.name),
        h('span', {id: hintId, class: 'hint'}, hint),
        h('span', {id: errorId, class: 'field-error'}));
    case 'MAP':
      // a textarea cannot mask its text; the hub still masks a secret map in everything it returns
      control = h('textarea', {id, name: property.name, placeholder: '{"key": "value"}', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': described});
      hint += ' A JSON object of strings.';
      break;
    case 'LIST':
      control = h('input', {id, name: property.name, type: 'text', 'aria-describedby': described});
      hint += ' Separate values with commas.';
      break;
    case 'INTEGER':
      control = h('input', {id, name: property.name, type: 'number', step: 1, 'aria-describedby': described});
      break;
    case 'URL':
      control = h('input', {id, name: property.name, type: property.secret ? 'password' : 'url', placeholder: 'https://…', 'aria-describedby': described});
      break;
    case 'DURATION':
      control = h('input', {id, name: property.name, type: property.secret ? 'password' : 'text', placeholder: '30m or PT30M', 'aria-describedby': described});
      break;
    default:
      control = h('input', {id, name: property.name, type: property.secret ? 'password' : 'text', autocomplete: property.secret ? 'new-password' : 'off',
        'aria-describedby': described});
  }
  control.required = property.required;
  if (property.default !== undefined) {
    hint += ` Default: ${property.default}.`;
  }
  return h('div', {class: 'field', 'data-property': property.name},
    h('label', {for: id}, property.name, property.required ? h('span', {class: 'required'}, ' (required)') : null,
      property.secret ? h('span', {class: 'tag'}, 'secret') : null),
    control,
    h('span', {id: hintId, class: 'hint'}, hint.trim()),
    h('span', {id: errorId, class: 'field-error'}));
}

/** The configuration the form holds, typed as the connector declares it; empty fields are left out (their defaults apply). */
function readConfig(form, connector, errors) {
  const config = {};
  for (const property of connector.configProperties) {
    const control = form.elements.namedItem(property.name);
    if (property.type === 'BOOLEAN') {
      if (control.checked !== (property.default === 'true') || property.required) {
        config[property.name] = control.checked;
      }
      continue;
    }
    const text = control.value.trim();
    if (!text) {
      continue;
    }
    if (property.type === 'MAP') {
      try {
        config[property.name] = JSON.parse(text);
      } catch (ignored) {
        errors.set(property.name, 'must be a JSON object such as {"key": "value"}');
      }
    } else if (property.type === 'INTEGER') {
      config[property.name] = Number(text);
    } else if (property.type === 'LIST') {
      config[property.name] = text.split(',').map(item => item.trim()).filter(item => item);
    } else {
      config[property.name] = text;
    }
  }
  return config;
}

function create(connectors, page) {
  const handle = openDialog({title: 'New integration', wide: true});
  const connector = h('select', {id: 'integration-connector', name: 'connector'},
    connectors.map(item => h('option', {value: item.id},
      item.plugin === item.id ? `${item.displayName} (${item.id})` : `${item.displayName} (plugin ${item.plugin}, connector ${item.id})`)));
  const name = h('input', {id: 'integration-name', name: 'name', type: 'text', required: true, autocomplete: 'off'});
  const description = h('p', {class: 'muted'});
  const properties = h('div', {});
  const error = h('p', {class: 'field-error', role: 'alert'});
  const submit = h('button', {type: 'submit', class: 'button', form: 'new-integration-form'}, 'Create integration');
  const selected = () => connectors.find(item => item.id === connector.value);
  const drawProperties = () => {
    const chosen = selected();
    description.textContent = `${chosen.description} Capabilities: ${chosen.capabilities.join(', ')}.`;
    replace(properties,
      h('h3', {}, 'Configuration'),
      chosen.configProperties.length === 0 ? h('p', {class: 'muted'}, 'This connector needs no configuration.') : null,
      ...chosen.configProperties.map(propertyField));
  };
  connector.addEventListener('change', drawProperties);
  const form = h('form', {id: 'new-integration-form', novalidate: true},
    h('div', {class: 'field'}, h('label', {for: 'integration-connector'}, 'Connector'), connector, description),
    h('div', {class: 'field'}, h('label', {for: 'integration-name'}, 'Name'), name),
    h('fieldset', {},
      h('legend', {}, 'Token expiration'),
      h('div', {class: 'choices'}, EXPIRATIONS.map(expiration => h('label', {class: 'choice'},
        h('input', {type: 'radio', name: 'integration-expiration', value: expiration.period, checked: expiration.period === 'P3M'}),
        expiration.label)))),
    properties,
    error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    for (const field of form.querySelectorAll('.field-error')) {
      field.textContent = '';
    }
    const errors = new Map();
    const chosen = selected();
    const config = readConfig(form, chosen, errors);
    if (!name.value.trim()) {
      error.textContent = 'Give the integration a name.';
      name.focus();
      return;
    }
    if (errors.size > 0) {
      showErrors(form, errors, error);
      return;
    }
    submit.disabled = true;
    let created;
    try {
      created = await api('POST', '/api/v1/integrations', {plugin: chosen.id, name: name.value.trim(), config,
        expiresIn: form.querySelector('input[name="integration-expiration"]:checked').value});
    } catch (failure) {
      submit.disabled = false;
      if (failure.body && Array.isArray(failure.body.errors)) {
        showErrors(form, new Map(failure.body.errors.map(item => [item.property, item.message])), error, failure.message);
      } else {
        error.textContent = failure.message;
      }
      return;
    }
    showSecretOnce(handle, created.name, created.token.secret, created.token.expiresAt);
    page.refresh();
  });
  handle.rebuild({title: 'New integration', wide: true, body: [form], actions: [cancelButton(handle), submit]});
  drawProperties();
}

function showErrors(form, errors, summary, message) {
  const unplaced = [];
  let first = null;
  for (const [property, text] of errors) {
    const slot = form.querySelector(`#config-${CSS.escape(property)}-error`);
    if (slot) {
      slot.textContent = `${property} ${text}`;
      first = first || form.elements.namedItem(property);
    } else {
      unplaced.push(`${property} ${text}`);
    }
  }
  summary.textContent = [message || 'Fix the fields marked below.', ...unplaced].join(' ');
  if (first) {
    first.focus();
  }
}
