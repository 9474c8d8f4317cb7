// The console's shell: sign-in, navigation between pages (#/tokens, #/images/<digest>, ...),
// and what happens when the hub ends the session.
import {session, verify} from './api.js';
import {h, replace, notify} from './dom.js';
import * as tokens from './tokens.js';
import * as integrations from './integrations.js';
import * as plugins from './plugins.js';
import * as images from './images.js';
import * as overview from './overview.js';
import * as vulnerabilities from './vulnerabilities.js';

const PAGES = {overview, vulnerabilities, tokens, integrations, plugins, images};
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOutButton = document.getElementById('sign-out');

let signInMessage = '';
let renders = 0;

session.onEnded(message => {
  signInMessage = `Your session has ended: the hub answered "${message}" Sign in again with a fresh admin token.`;
  render(true);
});

signOutButton.addEventListener('click', () => {
  session.signOut();
  signInMessage = 'You are signed out. The admin token was removed from this browser tab.';
  notify('');
  location.hash = '#/tokens';
  render(true);
});

window.addEventListener('hashchange', () => {
  notify('');
  render(true);
});

function currentRoute() {
  const [page, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return {page: page || 'tokens', parameter: rest.map(decodeURIComponent).join('/')};
}

/** Draws the current page; moveFocus: put focus on the page (after a navigation). */
async function render(moveFocus = false) {
  const ticket = ++renders;
  if (!session.token()) {
    showSignIn();
    return;
  }
  const {page, parameter} = currentRoute();
  nav.hidden = false;
  signOutButton.hidden = false;
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.page === page) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  const module = PAGES[page];
  if (!module) {
    replace(main, h('h1', {}, 'Page not found'), h('p', {}, 'There is no page "', page, '". ', h('a', {href: '#/tokens'}, 'Go to Tokens'), '.'));
    return;
  }
  if (moveFocus) {
    replace(main, h('p', {class: 'muted'}, 'Loading…'));
  }
  let content;
  try {
    content = await module.render(parameter, {refresh: () => render(false)});
  } catch (error) {
    if (error.status === 401) {
      // the session has ended; the sign-in form is showing already
      return;
    }
    content = [h('h1', {}, 'Something went wrong'), h('p', {class: 'notice error'}, error.message)];
  }
  if (ticket !== renders) {
    // a newer navigation started while this page was loading
    return;
  }
  document.title = `${module.TITLE} · Runlight console`;
  // a redraw keeps the focus on the same button (its data-key) when it was on one
  const focused = document.activeElement;
  const focusedKey = focused && main.contains(focused) && focused.dataset ? focused.dataset.key : undefined;
  replace(main, content);
  const refocus = focusedKey ? main.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`) : null;
  if (refocus) {
    refocus.focus();
  } else if (moveFocus || focusedKey) {
    // after a navigation, or when the focused button is gone (Retry dead once nothing is dead): keep focus on the page
    main.focus();
  }
}

function showSignIn() {
  nav.hidden = true;
  signOutButton.hidden = true;
  document.title = 'Sign in · Runlight console';
  const input = h('input', {id: 'admin-token', name: 'token', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'admin-token-hint'});
  const error = h('p', {id: 'sign-in-error', class: 'notice error', role: 'alert'});
  error.hidden = !signInMessage;
  error.textContent = signInMessage;
  const form = h('form', {class: 'card', novalidate: true},
    h('div', {class: 'field'},
      h('label', {for: 'admin-token'}, 'Admin token'),
      input,
      h('span', {id: 'admin-token-hint', class: 'hint'},
        'Paste what ', h('code', {}, 'runlight admin-token --role admin'), ' prints on the hub\'s machine. ',
        'It is kept in this browser tab only and forgotten when you sign out or close the tab.')),
    error,
    h('button', {type: 'submit', class: 'button'}, 'Sign in'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const token = input.value.trim();
    const show = text => {
      error.textContent = text;
      error.hidden = false;
      input.focus();
    };
    if (!token) {
      show('Paste an admin token first.');
      return;
    }
    try {
      await verify(token);
    } catch (failure) {
      if (failure.status === 403) {
        show('This token does not have the admin role. Mint one with: runlight admin-token --role admin');
      } else if (failure.status === 401) {
        show(`The hub refused this token: ${failure.message}`);
      } else {
        show(failure.message);
      }
      return;
    }
    session.signIn(token);
    signInMessage = '';
    render(true);
  });
  replace(main, h('div', {class: 'signin'},
    h('h1', {}, 'Sign in to Runlight'),
    h('p', {class: 'muted'}, 'Manage integration tokens, watch integrations and plugins, and see which vulnerabilities are in packages that actually run.'),
    form));
  input.focus();
}

render(false);
