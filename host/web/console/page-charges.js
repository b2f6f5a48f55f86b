// Charges: search (GET /console/api/charges), newest first, "next page" with `before`.
import { errorText, get } from './api.js';
import { dateToUnix, el, table, time, yuan } from './dom.js';
import { t, tOr } from './i18n.js';

const TEXT_FIELDS = ['id', 'order_no', 'transaction_no', 'user', 'channel'];
const STATES = ['pending', 'succeeded', 'failed', 'closed'];

// The last search, kept while the page is open, so "back" from a charge shows it again.
let last = { filters: {}, pages: [] };

function query(filters, before) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== '' && value !== null && value !== undefined) params.set(key, String(value));
  }
  if (before) params.set('before', before);
  params.set('limit', '50');
  return `/console/api/charges?${params}`;
}

export function stateLabel(state) {
  return tOr('state', state);
}

export function renderCharges(ctx) {
  const inputs = {};
  const fields = TEXT_FIELDS.map((name) => {
    inputs[name] = el('input', { name, testid: `search-${name}`, maxlength: 128, value: last.filters[name] ?? '' });
    return el('label', {}, t(`charges.${name}`), inputs[name]);
  });
  inputs.state = el(
    'select',
    { name: 'state', testid: 'search-state' },
    el('option', { value: '' }, t('charges.any')),
    STATES.map((s) => el('option', { value: s }, stateLabel(s))),
  );
  inputs.state.value = last.filters.state ?? '';
  inputs.from = el('input', { name: 'from', type: 'date', testid: 'search-from', value: last.dates?.from ?? '' });
  inputs.to = el('input', { name: 'to', type: 'date', testid: 'search-to', value: last.dates?.to ?? '' });
  const message = el('p', { class: 'error', testid: 'error', hidden: true });
  const results = el('div', { class: 'table-wrap', testid: 'charge-results' });
  const more = el('button', { type: 'button', testid: 'next-page', hidden: true }, t('charges.next'));

  function filters() {
    const f = {};
    for (const name of TEXT_FIELDS) f[name] = inputs[name].value.trim();
    f.state = inputs.state.value;
    f.from = inputs.from.value ? dateToUnix(inputs.from.value) : '';
    f.to = inputs.to.value ? dateToUnix(inputs.to.value, 1) : '';  // `to` is exclusive: the next midnight
    return f;
  }

  function draw() {
    const rows = last.pages.flatMap((p) => p.data);
    results.textContent = '';
    results.appendChild(
      table(
        [
          { label: t('charges.id'), value: (c) => el('a', { href: `#/charges/${encodeURIComponent(c.id)}` }, c.id) },
          { label: t('charges.order_no'), value: (c) => c.order_no ?? '' },
          { label: t('charges.channel'), value: (c) => c.channel ?? '' },
          { label: t('amount'), value: (c) => yuan(c.amount), class: 'num' },
          { label: t('amount_refunded'), value: (c) => (c.amount_refunded ? yuan(c.amount_refunded) : ''), class: 'num' },
          { label: t('charges.state'), value: (c) => el('span', { class: `state ${c.state}` }, stateLabel(c.state)) },
          { label: t('charges.user'), value: (c) => c.user ?? '' },
          { label: t('subject'), value: (c) => c.subject ?? '' },
          { label: t('created'), value: (c) => time(c.created) },
        ],
        rows,
        (c) => ({
          testid: 'charge-row',
          class: 'clickable',
          'data-id': c.id,
          onclick: (event) => {
            if (event.target.closest('a')) return;
            location.hash = `#/charges/${encodeURIComponent(c.id)}`;
          },
        }),
        t('none'),
      ),
    );
    const page = last.pages[last.pages.length - 1];
    more.hidden = !(page && page.has_more && page.next_before);
  }

  async function load(append) {
    const page = last.pages[last.pages.length - 1];
    const answer = await get(query(last.filters, append && page ? page.next_before : null));
    if (!ctx.alive()) return;
    if (!answer.ok || !answer.data || !Array.isArray(answer.data.data)) {
      message.textContent = errorText(answer);
      message.hidden = false;
      return;
    }
    message.hidden = true;
    if (!append) last.pages = [];
    last.pages.push(answer.data);
    draw();
  }

  function search(event) {
    event.preventDefault();
    last = { filters: filters(), dates: { from: inputs.from.value, to: inputs.to.value }, pages: [] };
    load(false);
  }

  function reset() {
    last = { filters: {}, pages: [] };
    ctx.rerender();
  }

  more.addEventListener('click', () => load(true));
  const form = el(
    'form',
    { class: 'search', testid: 'search-form', onsubmit: search },
    fields,
    el('label', {}, t('charges.state'), inputs.state),
    el('label', {}, t('charges.from'), inputs.from),
    el('label', {}, t('charges.to'), inputs.to),
    el(
      'div',
      { class: 'buttons' },
      el('button', { type: 'submit', class: 'primary', testid: 'search-submit' }, t('charges.search')),
      el('button', { type: 'button', onclick: reset }, t('charges.reset')),
    ),
  );
  ctx.view.append(el('section', { class: 'panel' }, form), message, results, more);
  if (last.pages.length) draw();
  else load(false);
}
