// One charge: its facts, timeline and refunds, and (finance, admin) a refund form.
import { errorText, get, post } from './api.js';
import { el, jsonText, parseYuan, time, yuan } from './dom.js';
import { t, tOr } from './i18n.js';
import { stateLabel } from './page-charges.js';

function facts(c) {
  const rows = [
    [t('charges.id'), c.id],
    [t('charges.order_no'), c.order_no],
    [t('charges.state'), stateLabel(c.state)],
    [t('amount'), yuan(c.amount)],
    [t('amount_refunded'), yuan(c.amount_refunded)],
    [t('refundable'), typeof c.refundable === 'number' ? yuan(c.refundable) : c.refundable],
    [t('currency'), c.currency],
    [t('charges.channel'), c.channel],
    [t('app'), c.app],
    [t('product'), c.product],
    [t('charges.user'), c.user],
    [t('livemode'), c.livemode ? t('mode.live') : t('mode.test')],
    [t('subject'), c.subject],
    [t('body'), c.body],
    [t('description'), c.description],
    [t('charges.transaction_no'), c.transaction_no],
    [t('created'), time(c.created)],
    [t('time_paid'), time(c.time_paid)],
    [t('time_expire'), time(c.time_expire)],
    [t('failure'), c.failure_code ? `${c.failure_code}: ${c.failure_msg ?? ''}` : ''],
  ];
  const dl = el('dl', { class: 'facts', testid: 'charge-facts' });
  for (const [label, value] of rows) {
    if (value === undefined || value === null || value === '') continue;
    dl.append(el('dt', {}, label), el('dd', {}, String(value)));
  }
  for (const [label, value] of [
    [t('extra'), c.extra],
    [t('metadata'), c.metadata],
  ]) {
    if (value && typeof value === 'object' && Object.keys(value).length) {
      dl.append(el('dt', {}, label), el('dd', {}, el('pre', {}, jsonText(value))));
    }
  }
  return dl;
}

function timeline(items) {
  const list = el('ol', { class: 'timeline', testid: 'timeline' });
  for (const item of Array.isArray(items) ? items : []) {
    list.appendChild(
      el(
        'li',
        { testid: 'timeline-item', 'data-kind': item.kind, 'data-outcome': item.outcome },
        el('time', {}, time(item.at_ms, true)),
        el('span', { class: 'kind' }, tOr('kind', item.kind)),
        item.outcome ? el('span', { class: `outcome ${item.outcome}` }, String(item.outcome)) : null,
        item.detail ? el('span', { class: 'detail' }, String(item.detail)) : null,
      ),
    );
  }
  if (!list.firstChild) list.appendChild(el('li', { class: 'empty' }, t('none')));
  return list;
}

function refunds(list) {
  const rows = Array.isArray(list) ? list : [];
  const body = el('tbody');
  for (const r of rows) {
    body.appendChild(
      el(
        'tr',
        { testid: 'refund-row', 'data-id': r.id },
        el('td', { class: 'nowrap' }, r.id),
        el('td', { class: 'num' }, yuan(r.amount)),
        el('td', { class: 'nowrap' }, r.status ?? '', r.failure_code ? ` (${r.failure_code}: ${r.failure_msg ?? ''})` : ''),
        el('td', { class: 'text' }, r.description ?? ''),
        el('td', { class: 'nowrap' }, r.requested_by ?? ''),
        el('td', { class: 'nowrap' }, time(r.created)),
        el('td', { class: 'nowrap' }, time(r.time_succeed)),
      ),
    );
  }
  if (!rows.length) body.appendChild(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, t('none'))));
  return el(
    'table',
    { testid: 'refunds' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        [t('refund.id'), t('amount'), t('refund.status'), t('description'), t('refund.requested_by'), t('created'), t('refund.time_succeed')].map(
          (h) => el('th', {}, h),
        ),
      ),
    ),
    body,
  );
}

// What is left to refund, in fen: the server's `refundable` when it is an amount.
function leftToRefund(c) {
  if (typeof c.refundable === 'number') return c.refundable;
  if (c.refundable === false) return 0;
  return Math.max(0, (c.amount ?? 0) - (c.amount_refunded ?? 0));
}

function refundForm(ctx, c) {
  const left = leftToRefund(c);
  const amount = el('input', { name: 'amount', inputmode: 'decimal', testid: 'refund-amount', value: left > 0 ? yuan(left) : '', maxlength: 14 });
  const reason = el('textarea', { name: 'reason', testid: 'refund-reason', maxlength: 255, rows: 2, required: true });
  const message = el('p', { class: 'message', role: 'status', testid: 'refund-message', hidden: true });
  const button = el('button', { type: 'submit', class: 'primary', testid: 'refund-submit' }, t('charge.refund_submit'));

  function say(text, error) {
    message.textContent = text;
    message.className = error ? 'message error' : 'message ok';
    message.hidden = false;
  }

  async function submit(event) {
    event.preventDefault();
    const body = {};
    const text = amount.value.trim();
    if (text !== '') {
      const fen = parseYuan(text);
      if (fen === null || fen <= 0) return say(t('charge.bad_amount'), true);
      body.amount = fen;
    }
    const why = reason.value.trim();
    if (why.length < 1 || [...why].length > 255) return say(t('charge.need_reason'), true);
    body.reason = why;
    button.disabled = true;
    const answer = await post(`/console/api/charges/${encodeURIComponent(c.id)}/refunds`, body);
    button.disabled = false;
    if (!ctx.alive()) return;
    if (answer.ok && answer.data) {
      ctx.rerender();
      return;
    }
    say(errorText(answer), true);
  }

  return el(
    'form',
    { class: 'refund', testid: 'refund-form', onsubmit: submit },
    el('h2', {}, t('charge.refund')),
    left > 0 ? null : el('p', { class: 'muted' }, t('charge.nothing_left')),
    el('label', {}, t('charge.refund_amount'), amount),
    el('label', {}, t('charge.refund_reason'), reason),
    message,
    button,
  );
}

export async function renderCharge(ctx, id) {
  ctx.view.appendChild(el('p', { class: 'muted' }, t('loading')));
  const answer = await get(`/console/api/charges/${encodeURIComponent(id)}`);
  if (!ctx.alive()) return;
  ctx.view.textContent = '';
  const back = el('p', {}, el('a', { href: '#/charges', testid: 'charge-back' }, `← ${t('charge.back')}`));
  if (!answer.ok || !answer.data || !answer.data.charge) {
    ctx.view.append(back, el('p', { class: 'error', testid: 'error' }, errorText(answer)));
    return;
  }
  const c = answer.data.charge;
  ctx.view.append(
    back,
    el('h1', { class: 'charge-id', testid: 'charge-id' }, c.id),
    el(
      'div',
      { class: 'columns' },
      el('section', { class: 'panel' }, el('h2', {}, t('charge.facts')), facts(c)),
      el(
        'div',
        {},
        el('section', { class: 'panel' }, el('h2', {}, t('charge.timeline')), timeline(answer.data.timeline)),
        el('section', { class: 'panel' }, el('h2', {}, t('charge.refunds')), el('div', { class: 'table-wrap' }, refunds(answer.data.refunds))),
        ctx.canChange && c.state === 'succeeded' ? el('section', { class: 'panel' }, refundForm(ctx, c)) : null,
      ),
    ),
  );
}
