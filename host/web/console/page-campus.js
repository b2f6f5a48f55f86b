// The campus shop's orders: GET {web_path}/admin/orders?from&to&page and the CSV export
// {web_path}/admin/orders.csv?from&to (dates in the school's zone, YYYY-MM-DD).
import { errorText, get } from './api.js';
import { el, isoDate, jsonText, table, yuan } from './dom.js';
import { t, tOr } from './i18n.js';

// Known columns first, in this order; money fields in fen shown as yuan.
const KNOWN = ['id', 'user_id', 'emp_name', 'pay_type', 'channel', 'amount', 'status', 'created_at', 'paid_at', 'packages', 'charge_id'];
const MONEY = new Set(['amount']);

function cell(key, value) {
  if (value === null || value === undefined) return '';
  if (MONEY.has(key) && typeof value === 'number') return yuan(value);
  if (key === 'packages' && Array.isArray(value)) {
    return value.map((p) => (p && typeof p === 'object' ? `${p.name ?? p.item_id ?? ''} ${yuan(p.amount)}` : String(p))).join('；');
  }
  if (key === 'charge_id' && typeof value === 'string') {
    return el('a', { href: `#/charges/${encodeURIComponent(value)}` }, value);
  }
  if (key === 'status' || key === 'pay_type') return tOr(`campus.${key}`, value);
  // "2024-01-31T10:00:00+08:00" (the school's zone) → "2024-01-31 10:00:00"
  if (key.endsWith('_at') && typeof value === 'string') {
    return value.replace('T', ' ').replace(/(Z|[+-]\d\d:\d\d)$/, '');
  }
  return typeof value === 'object' ? jsonText(value) : String(value);
}

// An array of objects as a table: known columns, then any other key in order of appearance.
function genericTable(rows) {
  const keys = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  keys.sort((a, b) => {
    const ia = KNOWN.indexOf(a);
    const ib = KNOWN.indexOf(b);
    return (ia < 0 ? KNOWN.length : ia) - (ib < 0 ? KNOWN.length : ib);
  });
  return table(
    keys.map((key) => ({ label: tOr('campus.col', key), value: (row) => cell(key, row[key]), class: MONEY.has(key) ? 'num' : key === 'packages' ? 'text' : '' })),
    rows,
    (row) => ({ testid: 'campus-row', 'data-id': row.id }),
    t('none'),
  );
}

function rowsOf(data) {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object') {
    for (const key of ['orders', 'data']) if (Array.isArray(data[key])) return data[key];
  }
  return [];
}

let saved = null;  // {from, to, page} while the page is open

export function renderCampus(ctx) {
  const base = ctx.campusPath;
  const today = new Date();
  const weekAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
  const state = saved ?? { from: isoDate(weekAgo), to: isoDate(today), page: 1 };
  const from = el('input', { type: 'date', testid: 'campus-from', value: state.from });
  const to = el('input', { type: 'date', testid: 'campus-to', value: state.to });
  const message = el('p', { class: 'error', testid: 'error', hidden: true });
  const results = el('div', { class: 'table-wrap', testid: 'campus-results' });
  const pageInfo = el('span', { class: 'muted', testid: 'campus-page' });
  const prev = el('button', { type: 'button', testid: 'campus-prev' }, '‹');
  const next = el('button', { type: 'button', testid: 'campus-next' }, '›');
  const exportLink = el('a', { class: 'button', testid: 'campus-export', download: '' }, t('campus.export'));

  function dates() {
    const params = new URLSearchParams();
    if (from.value) params.set('from', from.value);
    if (to.value) params.set('to', to.value);
    return params;
  }

  async function load() {
    saved = { from: from.value, to: to.value, page: state.page };
    const params = dates();
    exportLink.href = `${base}/admin/orders.csv?${params}`;
    params.set('page', String(state.page));
    const answer = await get(`${base}/admin/orders?${params}`);
    if (!ctx.alive()) return;
    results.textContent = '';
    if (!answer.ok || !answer.data) {
      message.textContent = errorText(answer);
      message.hidden = false;
      return;
    }
    message.hidden = true;
    const rows = rowsOf(answer.data).filter((r) => r && typeof r === 'object');
    results.appendChild(genericTable(rows));
    pageInfo.textContent = `${t('campus.page')} ${state.page}`;
    prev.disabled = state.page <= 1;
    next.disabled = !(answer.data && answer.data.has_more);
  }

  prev.addEventListener('click', () => {
    state.page = Math.max(1, state.page - 1);
    load();
  });
  next.addEventListener('click', () => {
    state.page += 1;
    load();
  });
  const form = el(
    'form',
    {
      class: 'search',
      testid: 'campus-form',
      onsubmit: (event) => {
        event.preventDefault();
        state.page = 1;
        load();
      },
    },
    el('label', {}, t('campus.from'), from),
    el('label', {}, t('campus.to'), to),
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', testid: 'campus-show' }, t('campus.show')), ctx.canChange ? exportLink : null),
  );
  ctx.view.append(el('section', { class: 'panel' }, form), message, results, el('p', { class: 'pager' }, prev, pageInfo, next));
  load();
}
