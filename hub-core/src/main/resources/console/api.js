// The hub's JSON API, called with the signed-in admin's JWT. The JWT lives in
// sessionStorage only: it is gone when the tab closes, and never sent anywhere but here.

const TOKEN_KEY = 'runlight.adminJwt';

/** An answer of the hub other than 2xx: status, the API's error code and its sentence. */
export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

let sessionEnded = () => {};

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: token => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
  /** What to do when the hub answers 401: the JWT expired or was never valid. */
  onEnded: handler => { sessionEnded = handler; },
};

async function send(method, path, body, token) {
  const headers = {Accept: 'application/json'};
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  const options = {method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new ApiError(0, 'unreachable', 'The hub did not answer; check that it is running and try again.', null);
  }
  return response;
}

async function failure(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (ignored) {
    // not every failure has a JSON body (a proxy's error page, for one); the status still says enough
  }
  const message = body && body.message ? body.message : `The hub answered ${response.status} ${response.statusText}.`;
  return new ApiError(response.status, body && body.error ? body.error : 'http_' + response.status, message, body);
}

/** Calls the API as the signed-in admin; a 401 ends the session. Answers the parsed JSON, or null for 204. */
export async function api(method, path, body) {
  const response = await send(method, path, body, session.token());
  if (response.ok) {
    return response.status === 204 ? null : response.json();
  }
  const error = await failure(response);
  if (response.status === 401) {
    session.signOut();
    sessionEnded(error.message);
  }
  throw error;
}

/** Checks a JWT before keeping it: it must open the admin endpoints. */
export async function verify(token) {
  const response = await send('GET', '/api/v1/tokens', undefined, token);
  if (response.ok) {
    return;
  }
  throw await failure(response);
}

/**
 * Downloads an API answer as a file. A plain link cannot send the bearer token, so the
 * console fetches the body and hands the browser a Blob to save.
 */
export async function download(path, fileName) {
  const response = await send('GET', path, undefined, session.token());
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401) {
      session.signOut();
      sessionEnded(error.message);
    }
    throw error;
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // the browser has started the download by now; give it a moment before the URL goes away
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
