// The wallet's withdrawal queue (its admin routes, authenticated by the console session):
// GET /api/v2/admin/wallet/cashes, PATCH …/{id}/passed|refuse with {"remark"}.
import { errorText, get, messageText, patch } from './api.js';
import { el, table, yuan } from './dom.js';
import { t } from './i18n.js';

const BASE = '/api/v2/admin/wallet/cashes';
let status = '0';  // pending first; kept while the page is open

export function renderWithdrawals(ctx) {
  const message = el('p', { class: 'message', role: 'status', testid: 'message', hidden: true });
  const results = el('div', { class: 'table-wrap', testid: 'withdrawal-results' });
  const more = el('button', { type: 'button', testid: 'next-page', hidden: true }, t('charges.next'));
  const filter = el(
    'select',
    { testid: 'withdrawal-status' },
    ['0', '1', '2', 'all'].map((s) => el('option', { value: s }, s === 'all' ? t('withdrawals.all') : t(`withdrawals.status${s}`))),
  );
  filter.value = status;
  let rows = [];

  function say(text, error) {
    message.textContent = text;
    message.className = error ? 'message error' : 'message ok';
    message.hidden = false;
  }

  async function decide(cash, pass, remark) {
    const answer = await patch(`${BASE}/${encodeURIComponent(cash.id)}/${pass ? 'passed' : 'refuse'}`, { remark });
    if (!ctx.alive()) return;
    if (answer.ok) {
      say(`#${cash.id} ${messageText(answer)}`, false);
      load(false);
    } else {
      say(`#${cash.id} ${errorText(answer)}`, true);
    }
  }

  function actions(cash) {
    if (cash.status !== 0 || !ctx.canChange) return '';
    const remark = el('input', { testid: 'withdrawal-remark', maxlength: 255, placeholder: t('withdrawals.remark_placeholder') });
    const button = (pass) =>
      el(
        'button',
        {
          type: 'button',
          class: pass ? 'primary' : 'danger',
          testid: pass ? 'withdrawal-pass' : 'withdrawal-refuse',
          onclick: () => decide(cash, pass, remark.value.trim()),
        },
        t(pass ? 'withdrawals.pass' : 'withdrawals.refuse'),
      );
    return el('span', { class: 'decide' }, remark, button(true), button(false));
  }

  function draw(hasMore) {
    results.textContent = '';
    results.appendChild(
      table(
        [
          { label: t('withdrawals.id'), value: (c) => String(c.id) },
          { label: t('withdrawals.user'), value: (c) => String(c.user_id ?? '') },
          { label: t('withdrawals.value'), value: (c) => yuan(c.value), class: 'num' },
          { label: t('withdrawals.type'), value: (c) => c.type ?? '' },
          { label: t('withdrawals.account'), value: (c) => c.account ?? '' },
          { label: t('withdrawals.status'), value: (c) => t(`withdrawals.status${c.status}`) },
          { label: t('withdrawals.remark'), value: (c) => c.remark ?? '' },
          { label: t('withdrawals.created'), value: (c) => c.created_at ?? '' },
          { label: t('withdrawals.actions'), value: actions },
        ],
        rows,
        (c) => ({ testid: 'withdrawal-row', 'data-id': c.id, 'data-status': c.status }),
        t('none'),
      ),
    );
    more.hidden = !hasMore;
  }

  async function load(append) {
    const params = new URLSearchParams({ limit: '50' });
    if (status !== 'all') params.set('status', status);
    if (append && rows.length) params.set('after', String(rows[rows.length - 1].id));
    const answer = await get(`${BASE}?${params}`);
    if (!ctx.alive()) return;
    if (!answer.ok || !Array.isArray(answer.data)) {
      say(errorText(answer), true);
      return;
    }
    const page = answer.data.filter((c) => c && typeof c === 'object');
    rows = append ? [...rows, ...page] : page;
    draw(page.length === 50);
  }

  filter.addEventListener('change', () => {
    status = filter.value;
    load(false);
  });
  more.addEventListener('click', () => load(true));
  ctx.view.append(
    el(
      'section',
      { class: 'panel toolbar' },
      el('label', {}, t('withdrawals.status'), filter),
      el('button', { type: 'button', testid: 'withdrawal-refresh', onclick: () => load(false) }, t('withdrawals.refresh')),
    ),
    message,
    results,
    more,
  );
  load(false);
}
