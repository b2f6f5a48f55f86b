// Overview: today's and the last 7 days' volume and success rate per channel, and the daily
// volume, each as a Chart.js bar chart beside its table.
import { errorText, get } from './api.js';
import { el, percent, table, yuan } from './dom.js';
import { t } from './i18n.js';

const COLORS = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#bc4c00', '#57606a'];

function channelsOf(list) {
  return Array.isArray(list) ? list.filter((s) => s && typeof s.channel === 'string') : [];
}

function totals(list) {
  const sum = { channel: t('overview.total'), charges: 0, succeeded: 0, amount_succeeded: 0 };
  for (const s of list) {
    sum.charges += Number.isSafeInteger(s.charges) ? s.charges : 0;
    sum.succeeded += Number.isSafeInteger(s.succeeded) ? s.succeeded : 0;
    sum.amount_succeeded += Number.isSafeInteger(s.amount_succeeded) ? s.amount_succeeded : 0;
  }
  sum.success_rate = sum.charges ? sum.succeeded / sum.charges : 0;
  return sum;
}

function statsTable(list, testid) {
  const rows = list.length ? [...list, totals(list)] : [];
  return el(
    'div',
    { class: 'table-wrap', testid },
    table(
      [
        { label: t('channel'), value: (s) => s.channel },
        { label: t('charges'), value: (s) => String(s.charges ?? ''), class: 'num' },
        { label: t('succeeded'), value: (s) => String(s.succeeded ?? ''), class: 'num' },
        { label: t('amount_succeeded'), value: (s) => yuan(s.amount_succeeded), class: 'num' },
        { label: t('success_rate'), value: (s) => percent(s.success_rate), class: 'num' },
      ],
      rows,
      () => ({}),
      t('none'),
    ),
  );
}

// A bar chart on a fresh canvas; values as given (fen or percent), labelled by `format`.
function barChart(ctx, testid, labels, datasets, format, options = {}) {
  const canvas = el('canvas', { testid, width: options.width ?? 570, height: 240, role: 'img' });
  const box = el('div', { class: 'chart' }, canvas);
  if (typeof window.Chart !== 'function') {
    box.appendChild(el('p', { class: 'error' }, 'Chart.js not loaded'));
    return box;
  }
  // The page's fonts (CJK included) rather than Chart.js's Helvetica list.
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  const chart = new window.Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: false,
      animation: false,
      scales: {
        x: { stacked: !!options.stacked },
        y: {
          stacked: !!options.stacked,
          beginAtZero: true,
          max: options.max,
          ticks: { precision: 0, callback: (v) => format(v) },
        },
      },
      plugins: {
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(item.raw)}` } },
      },
    },
  });
  ctx.addChart(chart);
  return box;
}

export async function renderOverview(ctx) {
  ctx.view.appendChild(el('p', { class: 'muted' }, t('loading')));
  const answer = await get('/console/api/overview');
  if (!ctx.alive()) return;
  ctx.view.textContent = '';
  if (!answer.ok || !answer.data) {
    ctx.view.appendChild(el('p', { class: 'error', testid: 'error' }, errorText(answer)));
    return;
  }
  const data = answer.data;
  const today = channelsOf(data.today && data.today.channels);
  const week = channelsOf(data.week && data.week.channels);
  const days = Array.isArray(data.days) ? data.days : [];

  // Channels with no charge in the last 7 days say nothing; they are left out.
  const active = (list) => list.filter((s) => Number.isSafeInteger(s.charges) && s.charges > 0);
  const names = [...new Set(active(week).map((s) => s.channel))].sort();
  const byName = (list) => new Map(list.map((s) => [s.channel, s]));
  const todayBy = byName(today);
  const weekBy = byName(week);
  const amount = (map, name) => (map.get(name) ? map.get(name).amount_succeeded : 0);
  // Percent with one decimal, from a ratio, for the chart's axis only (money is not involved).
  const rate = (map, name) => (map.get(name) ? Math.round(map.get(name).success_rate * 1000) / 10 : 0);

  const volume = barChart(
    ctx,
    'chart-volume',
    names,
    [
      { label: t('overview.today'), data: names.map((n) => amount(todayBy, n)), backgroundColor: COLORS[0] },
      { label: t('overview.week'), data: names.map((n) => amount(weekBy, n)), backgroundColor: COLORS[1] },
    ],
    (v) => yuan(v),
  );
  const success = barChart(
    ctx,
    'chart-rate',
    names,
    [
      { label: t('overview.today'), data: names.map((n) => rate(todayBy, n)), backgroundColor: COLORS[0] },
      { label: t('overview.week'), data: names.map((n) => rate(weekBy, n)), backgroundColor: COLORS[1] },
    ],
    (v) => `${v}%`,
    { max: 100 },
  );

  const dayNames = [...new Set(days.flatMap((d) => active(channelsOf(d.channels)).map((s) => s.channel)))].sort();
  const daily = barChart(
    ctx,
    'chart-days',
    days.map((d) => String(d.day ?? '')),
    dayNames.map((name, i) => ({
      label: name,
      data: days.map((d) => amount(byName(channelsOf(d.channels)), name)),
      backgroundColor: COLORS[i % COLORS.length],
    })),
    (v) => yuan(v),
    { stacked: true, width: 600 },
  );
  const dayRows = days.map((d) => ({ day: String(d.day ?? ''), ...totals(channelsOf(d.channels)) }));
  const dayTable = el(
    'div',
    { class: 'table-wrap', testid: 'table-days' },
    table(
      [
        { label: t('day'), value: (r) => r.day },
        { label: t('charges'), value: (r) => String(r.charges), class: 'num' },
        { label: t('succeeded'), value: (r) => String(r.succeeded), class: 'num' },
        { label: t('amount_succeeded'), value: (r) => yuan(r.amount_succeeded), class: 'num' },
        { label: t('success_rate'), value: (r) => percent(r.success_rate), class: 'num' },
      ],
      dayRows,
    ),
  );

  const todayTotal = totals(today);
  const weekTotal = totals(week);
  const card = (testid, label, value, note) =>
    el('div', { class: 'card', testid }, el('span', { class: 'label' }, label), el('strong', {}, value), el('span', { class: 'muted' }, note));
  ctx.view.append(
    el(
      'div',
      { class: 'cards' },
      card('total-today', `${t('overview.today')} · ${t('amount_succeeded')}`, `¥${yuan(todayTotal.amount_succeeded)}`, `${todayTotal.succeeded} / ${todayTotal.charges}`),
      card('rate-today', `${t('overview.today')} · ${t('success_rate')}`, percent(todayTotal.success_rate), `${todayTotal.succeeded} / ${todayTotal.charges}`),
      card('total-week', `${t('overview.week')} · ${t('amount_succeeded')}`, `¥${yuan(weekTotal.amount_succeeded)}`, `${weekTotal.succeeded} / ${weekTotal.charges}`),
      card('rate-week', `${t('overview.week')} · ${t('success_rate')}`, percent(weekTotal.success_rate), `${weekTotal.succeeded} / ${weekTotal.charges}`),
    ),
    el(
      'div',
      { class: 'grid2' },
      el('section', { class: 'panel' }, el('h2', {}, t('overview.volume')), volume),
      el('section', { class: 'panel' }, el('h2', {}, t('overview.rate')), success),
      el('section', { class: 'panel' }, el('h2', {}, t('overview.today')), statsTable(active(today), 'table-today')),
      el('section', { class: 'panel' }, el('h2', {}, t('overview.week')), statsTable(active(week), 'table-week')),
    ),
    el('section', { class: 'panel' }, el('h2', {}, t('overview.days')), el('div', { class: 'pair' }, daily, dayTable)),
  );
}
