// Tokens: every per-integration and ingest token, with Add, Renew and Delete.
import {api} from './api.js';
import {h, isoDate, isoDateTime, addMonthsUtc, EXPIRATIONS, stateBadge, pageHead, table, notify} from './dom.js';
import {openDialog, cancelButton, confirm} from './dialogs.js';

export const TITLE = 'Tokens';

export async function render(parameter, page) {
  const [tokens, integrations] = await Promise.all([api('GET', '/api/v1/tokens'), api('GET', '/api/v1/integrations')]);
  const byId = new Map(integrations.map(integration => [integration.id, integration]));
  tokens.sort((a, b) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt));
  const rows = tokens.map(token => [
    h('strong', {}, token.name),
    integrationCell(token, byId),
    h('code', {}, token.prefix + '…'),
    {value: isoDate(token.createdAt), class: 'nowrap'},
    {value: h('time', {datetime: token.expiresAt, 'data-expires': token.id}, isoDate(token.expiresAt)), class: 'nowrap'},
    stateBadge(token.status),
    {value: token.lastUsedAt ? isoDateTime(token.lastUsedAt) : 'Never', class: 'nowrap'},
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'button secondary small', 'data-key': 'renew-' + token.id,
        'aria-label': `Renew token ${token.name}`, onclick: () => renew(token, page)}, 'Renew'),
      h('button', {type: 'button', class: 'button secondary small', 'data-key': 'delete-' + token.id,
        'aria-label': `Delete token ${token.name}`, onclick: () => remove(token, byId, page)}, 'Delete')),
  ]);
  return [
    pageHead('Tokens',
      'Each integration authenticates with its own token, and collectors or CI jobs may use ingest tokens. A token is shown once, when it is created; renewing keeps the same secret.',
      h('button', {type: 'button', class: 'button', 'data-key': 'add-token', onclick: () => addToken(integrations, page)}, '+ Add Token')),
    table('Tokens', ['Name', 'Integration', 'Prefix', 'Created', 'Expires', 'Status', 'Last used', {label: 'Actions'}], rows,
      'No tokens yet. Add one for an integration, or an ingest token for a collector.'),
  ];
}

function integrationCell(token, byId) {
  if (token.scope !== 'integration') {
    return h('span', {class: 'muted'}, 'Ingest only');
  }
  const integration = byId.get(token.integrationId);
  if (!integration) {
    return h('span', {class: 'muted'}, token.integrationId + ' (deleted)');
  }
  return h('span', {}, h('a', {href: '#/integrations'}, integration.name), h('span', {class: 'muted'}, ` (${integration.connector})`));
}

/** The expiration choice as radio buttons, with the date it leads to. */
function expirationField(name, chosen, onChange) {
  const preview = h('span', {class: 'hint', 'aria-live': 'polite'});
  const update = () => {
    const period = fieldset.querySelector('input:checked').value;
    const months = EXPIRATIONS.find(expiration => expiration.period === period).months;
    const date = isoDate(addMonthsUtc(new Date(), months).toISOString());
    preview.textContent = `Expires on ${date} (UTC).`;
    onChange(period, date);
  };
  const fieldset = h('fieldset', {},
    h('legend', {}, 'Expiration'),
    h('div', {class: 'choices'}, EXPIRATIONS.map(expiration => h('label', {class: 'choice'},
      h('input', {type: 'radio', name, value: expiration.period, checked: expiration.period === chosen, onchange: update}),
      expiration.label))),
    preview);
  queueMicrotask(update);
  return fieldset;
}

/** The Add Token dialog; integrationId preselects an integration (Integrations offers it for a severed one). */
export function addToken(integrations, page, integrationId = '') {
  const handle = openDialog({title: 'Add token'});
  const name = h('input', {id: 'token-name', name: 'name', type: 'text', required: true, maxlength: 200, autocomplete: 'off'});
  const integration = h('select', {id: 'token-integration', name: 'integration'},
    h('option', {value: ''}, 'None: an ingest token for a collector or CI job'),
    integrations.map(item => h('option', {value: item.id, selected: item.id === integrationId}, `${item.name} (${item.connector})`)));
  const error = h('p', {class: 'field-error', role: 'alert'});
  // in the dialog's footer, tied to the form by its id: Enter in a field submits too
  const submit = h('button', {type: 'submit', class: 'button', form: 'add-token-form'}, 'Create token');
  const form = h('form', {id: 'add-token-form'},
    h('div', {class: 'field'}, h('label', {for: 'token-name'}, 'Name'), name,
      h('span', {class: 'hint'}, 'Say who uses it, for example "snyk-prod" or "ci-upload".')),
    h('div', {class: 'field'}, h('label', {for: 'token-integration'}, 'Integration'), integration,
      h('span', {class: 'hint'}, 'A token for an integration replaces that integration\'s current token.')),
    expirationField('token-expiration', 'P3M', () => {}),
    error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (!name.value.trim()) {
      error.textContent = 'Give the token a name.';
      name.focus();
      return;
    }
    const body = {name: name.value.trim(), expiresIn: form.querySelector('input[name="token-expiration"]:checked').value};
    if (integration.value) {
      body.integrationId = integration.value;
    }
    submit.disabled = true;
    let created;
    try {
      created = await api('POST', '/api/v1/tokens', body);
    } catch (failure) {
      submit.disabled = false;
      error.textContent = failure.message;
      return;
    }
    showSecretOnce(handle, created.name, created.secret, created.expiresAt);
    page.refresh();
  });
  handle.rebuild({title: 'Add token', body: [form], actions: [cancelButton(handle), submit]});
}

/** The new secret, once: a read-only field, a copy button and the warning. Shared with Integrations. */
export function showSecretOnce(handle, name, secret, expiresAt) {
  const field = h('input', {id: 'token-secret', type: 'text', readonly: true, value: secret, class: 'mono', 'aria-describedby': 'token-warning'});
  const copied = h('span', {class: 'hint', 'aria-live': 'polite'});
  const copy = h('button', {type: 'button', class: 'button secondary', 'data-autofocus': true, onclick: async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(secret);
      copied.textContent = 'Copied to the clipboard.';
    } catch (ignored) {
      // the clipboard API needs a secure context (HTTPS or localhost); the field is selected for Ctrl+C instead
      copied.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.';
    }
  }}, 'Copy');
  handle.rebuild({
    title: `Token "${name}" created`,
    body: [
      h('p', {id: 'token-warning', class: 'warning'}, h('strong', {}, 'Copy this token now. '),
        'It will not be shown again: the hub keeps only a hash of it and cannot recover it.'),
      h('label', {for: 'token-secret'}, 'Token'),
      h('div', {class: 'secret-row'}, field, copy),
      copied,
      h('p', {}, 'Expires on ', h('strong', {}, isoDate(expiresAt)), ' (UTC).'),
    ],
    actions: [h('button', {type: 'button', class: 'button', onclick: () => handle.close('done')}, 'Done')],
  });
}

function renew(token, page) {
  const handle = openDialog({title: `Renew token "${token.name}"`});
  const error = h('p', {class: 'field-error', role: 'alert'});
  const confirmButton = h('button', {type: 'submit', class: 'button', form: 'renew-token-form'}, 'Renew');
  const form = h('form', {id: 'renew-token-form'},
    h('p', {}, 'The token keeps its secret, so whoever uses it needs no change. It now expires on ',
      h('strong', {}, isoDate(token.expiresAt)), ' (UTC).'),
    expirationField('renew-expiration', 'P1Y', (period, date) => {
      confirmButton.textContent = `Renew until ${date}`;
    }),
    error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const expiresIn = form.querySelector('input[name="renew-expiration"]:checked').value;
    confirmButton.disabled = true;
    try {
      const renewed = await api('POST', `/api/v1/tokens/${encodeURIComponent(token.id)}/renew`, {expiresIn});
      handle.close('renewed');
      notify(`Token "${token.name}" renewed: it now expires on ${isoDate(renewed.expiresAt)} (UTC).`);
      page.refresh();
    } catch (failure) {
      confirmButton.disabled = false;
      error.textContent = failure.message;
    }
  });
  handle.rebuild({title: `Renew token "${token.name}"`, body: [form], actions: [cancelButton(handle), confirmButton]});
}

async function remove(token, byId, page) {
  const integration = token.scope === 'integration' ? byId.get(token.integrationId) : undefined;
  const consequence = integration
    ? [h('p', {class: 'danger-note'}, 'Integration ', h('strong', {}, integration.name), ` (${integration.connector}) will be severed at once, on every hub member: `,
      'its platform is refused and nothing is pushed until you create a new token for it and give that token to the platform.')]
    : [h('p', {class: 'danger-note'}, 'Whatever uses it (a collector, a CI job) is refused at once, on every hub member.')];
  const confirmed = await confirm({
    title: `Delete token "${token.name}"?`,
    message: [h('p', {}, 'The token ', h('code', {}, token.prefix + '…'), ' stops working immediately. This cannot be undone.'), ...consequence],
    confirmLabel: 'Delete token',
    danger: true,
  });
  if (!confirmed) {
    return;
  }
  try {
    await api('DELETE', `/api/v1/tokens/${encodeURIComponent(token.id)}`);
    notify(integration ? `Token "${token.name}" deleted; integration "${integration.name}" is severed.` : `Token "${token.name}" deleted.`);
  } catch (failure) {
    if (failure.status !== 401) {
      notify(`Token "${token.name}" was not deleted: ${failure.message}`, true);
    }
  }
  page.refresh();
}
