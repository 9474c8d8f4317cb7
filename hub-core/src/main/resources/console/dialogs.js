// Modal dialogs on the native <dialog> element: showModal() moves focus inside and
// keeps Tab there, Escape closes it, and closing returns focus to what opened it.
import {h, replace} from './dom.js';

/**
 * Opens a dialog. build(dialog) returns its content: {title, body: [nodes], actions: [buttons],
 * wide}. Answers {dialog, closed: Promise of the returnValue, close(value), rebuild(content)}.
 */
export function openDialog(content) {
  const opener = document.activeElement;
  // a page may redraw while the dialog is open; its new button with the same key takes the focus back
  const openerKey = opener && opener.dataset ? opener.dataset.key : undefined;
  const dialog = h('dialog', {'aria-modal': 'true'});
  const handle = {
    dialog,
    close: value => dialog.close(value ?? ''),
    rebuild: next => fill(dialog, next),
  };
  handle.closed = new Promise(resolve => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      const redrawn = openerKey ? document.querySelector(`[data-key="${CSS.escape(openerKey)}"]`) : null;
      if (opener && opener.isConnected && typeof opener.focus === 'function') {
        opener.focus();
      } else if (redrawn) {
        redrawn.focus();
      } else {
        document.getElementById('main').focus();
      }
      resolve(dialog.returnValue);
    });
  });
  fill(dialog, content);
  document.body.append(dialog);
  dialog.showModal();
  focusFirst(dialog);
  return handle;
}

function fill(dialog, {title, body = [], actions = [], wide = false, label}) {
  const titleId = 'dialog-title-' + Math.random().toString(36).slice(2, 8);
  dialog.className = wide ? 'wide' : '';
  dialog.setAttribute('aria-labelledby', titleId);
  replace(dialog,
    h('div', {class: 'dialog-body'}, h('h2', {id: titleId}, title), body),
    actions.length ? h('div', {class: 'dialog-actions'}, actions) : null);
  if (label) {
    dialog.setAttribute('aria-label', label);
  }
  if (dialog.open) {
    focusFirst(dialog);
  }
}

/** Focus the element marked data-autofocus, else the first field, else the first button. */
function focusFirst(dialog) {
  const target = dialog.querySelector('[data-autofocus]')
    || dialog.querySelector('input:not([type="hidden"]):not([disabled]), select, textarea')
    || dialog.querySelector('button:not([disabled])');
  if (target) {
    target.focus();
  }
}

/** A button that closes its dialog. */
export function cancelButton(handle, label = 'Cancel') {
  return h('button', {type: 'button', class: 'button secondary', onclick: () => handle.close('cancel')}, label);
}

/**
 * Asks for confirmation. Answers a Promise of true when the admin confirmed.
 * message: nodes or text; confirmLabel: the button's words; danger: a red button.
 */
export function confirm({title, message, confirmLabel, danger = false}) {
  const handle = openDialog({title, body: []});
  const yes = h('button', {type: 'button', class: danger ? 'button danger' : 'button', onclick: () => handle.close('confirm')}, confirmLabel);
  const cancel = cancelButton(handle);
  // a destructive action starts on Cancel, so Enter alone never deletes
  (danger ? cancel : yes).dataset.autofocus = '';
  handle.rebuild({title, body: Array.isArray(message) ? message : [h('p', {}, message)], actions: [cancel, yes]});
  return handle.closed.then(value => value === 'confirm');
}
