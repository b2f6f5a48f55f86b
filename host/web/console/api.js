// Talking to payhostd: the session cookie goes along (same origin), every change carries the
// session's CSRF token, which lives in memory only.
import { t } from './i18n.js';

let csrfToken = null;
let onUnauthenticated = () => {};

export function setCsrfToken(token) {
  csrfToken = typeof token === 'string' ? token : null;
}

// Called when a console route answers 401: the session ended (expired, signed out elsewhere).
export function whenUnauthenticated(fn) {
  onUnauthenticated = fn;
}

// → {status, ok, data (parsed JSON or null), headers}; never throws (status 0: no answer).
export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { status: 0, ok: false, data: null, headers: new Headers() };
  }
  let data = null;
  if ((response.headers.get('Content-Type') || '').includes('json')) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  const answer = { status: response.status, ok: response.ok, data, headers: response.headers };
  if (response.status === 401 && path.startsWith('/console/api/') && !path.endsWith('/signin')) {
    onUnauthenticated();
  }
  return answer;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const patch = (path, body) => request('PATCH', path, body);

// A readable message for a failed answer: the console's {"error":{code,message}}, the
// ThinkSNS+ {"message": text | [text], "errors": {field: [text]}}, else the status.
export function errorText(answer) {
  if (answer.status === 0) return t('error.network');
  const d = answer.data;
  if (d && typeof d === 'object') {
    if (d.error && typeof d.error === 'object') {
      const code = d.error.code ? `${d.error.code}: ` : '';
      return `${answer.status} ${code}${d.error.message ?? ''}`.trim();
    }
    const parts = [];
    if (Array.isArray(d.message)) parts.push(d.message.join('；'));
    else if (typeof d.message === 'string') parts.push(d.message);
    if (d.errors && typeof d.errors === 'object') {
      for (const list of Object.values(d.errors)) {
        if (Array.isArray(list)) parts.push(list.join('；'));
      }
    }
    if (parts.length) return `${answer.status} ${parts.join(' — ')}`;
  }
  return t('error.status', answer.status);
}

// The ThinkSNS+ success message ({"message":["操作成功"]}) as text.
export function messageText(answer) {
  const m = answer.data && answer.data.message;
  if (Array.isArray(m)) return m.join('；');
  return typeof m === 'string' ? m : String(answer.status);
}
