// The console's single page: session, navigation (hash routes) and the frame around pages.
import { get, post, setCsrfToken, whenUnauthenticated } from './api.js';
import { clear, el } from './dom.js';
import { lang, setLang, t } from './i18n.js';
import { languageButtons } from './language-switch.js';
import { renderAudit } from './page-audit.js';
import { renderCampus } from './page-campus.js';
import { renderCharge } from './page-charge.js';
import { renderCharges } from './page-charges.js';
import { renderOverview } from './page-overview.js';
import { renderPlugins } from './page-plugins.js';
import { renderSignin } from './page-signin.js';
import { renderWithdrawals } from './page-withdrawals.js';

const root = document.getElementById('app');

// operator: {name, role}; plugins: GET /console/api/plugins (null until read).
const state = { operator: null, plugins: null, charts: [], generation: 0 };

function plugin(name) {
  const list = state.plugins && Array.isArray(state.plugins.plugins) ? state.plugins.plugins : [];
  return list.find((p) => p && p.name === name) || null;
}

function campusPath() {
  const campus = plugin('campus');
  if (!campus) return null;
  const path = campus.options && typeof campus.options.web_path === 'string' ? campus.options.web_path : '';
  // The option is checked at start (empty or "/x" without a trailing slash); anything else
  // is not a path of this origin.
  return path === '' || /^\/[^?#\s{}]*[^/?#\s{}]$/.test(path) ? path : null;
}

const pages = [
  { key: 'overview', render: renderOverview },
  { key: 'charges', render: renderCharges },
  { key: 'withdrawals', render: renderWithdrawals, shown: () => plugin('wallet') !== null },
  { key: 'campus', render: renderCampus, shown: () => campusPath() !== null },
  { key: 'plugins', render: renderPlugins },
  { key: 'audit', render: renderAudit },
];

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return '';
    }
  });
  if (parts[0] === 'charges' && parts[1]) return { key: 'charge', id: parts[1] };
  const page = pages.find((p) => p.key === parts[0] && (!p.shown || p.shown()));
  return { key: page ? page.key : 'overview' };
}

function destroyCharts() {
  for (const chart of state.charts) chart.destroy();
  state.charts = [];
}

function header(current) {
  const nav = el(
    'nav',
    { class: 'nav' },
    pages
      .filter((p) => !p.shown || p.shown())
      .map((p) =>
        el(
          'a',
          {
            href: `#/${p.key}`,
            testid: `nav-${p.key}`,
            class: current === p.key || (current === 'charge' && p.key === 'charges') ? 'active' : '',
          },
          t(`nav.${p.key}`),
        ),
      ),
  );
  const languages = languageButtons('span', show);
  const who = el(
    'span',
    { class: 'operator', testid: 'operator' },
    el('strong', {}, state.operator.name),
    ' ',
    el('span', { class: 'role', testid: 'operator-role' }, t(`role.${state.operator.role}`)),
  );
  const signout = el('button', { type: 'button', class: 'link', testid: 'signout', onclick: signOut }, t('signout'));
  return el('header', { class: 'top' }, el('span', { class: 'brand' }, t('brand')), nav, el('span', { class: 'right' }, languages, who, signout));
}

// Draws the page the hash names; a page still loading when the hash changes draws nothing.
function show() {
  destroyCharts();
  const generation = ++state.generation;
  clear(root);
  if (!state.operator) {
    root.appendChild(renderSignin({ onSignedIn: signedIn, languageSwitch: () => show() }));
    return;
  }
  const current = route();
  const view = el('main', { class: 'view', testid: `page-${current.key}` });
  root.appendChild(header(current.key));
  root.appendChild(view);
  const ctx = {
    view,
    operator: state.operator,
    plugins: state.plugins,
    campusPath: campusPath(),
    canChange: state.operator.role === 'finance' || state.operator.role === 'admin',
    alive: () => generation === state.generation,
    addChart: (chart) => state.charts.push(chart),
    rerender: show,
  };
  if (current.key === 'charge') renderCharge(ctx, current.id);
  else pages.find((p) => p.key === current.key).render(ctx);
}

async function loadPlugins() {
  const answer = await get('/console/api/plugins');
  state.plugins = answer.ok ? answer.data : null;
}

async function signedIn(session) {
  state.operator = session.operator;
  setCsrfToken(session.csrf_token);
  await loadPlugins();
  show();
}

async function signOut() {
  await post('/console/api/signout');
  endSession();
}

function endSession() {
  state.operator = null;
  state.plugins = null;
  setCsrfToken(null);
  show();
}

async function start() {
  setLang(lang());
  whenUnauthenticated(() => {
    if (state.operator) endSession();
  });
  const answer = await get('/console/api/session');
  if (answer.ok && answer.data && answer.data.operator) {
    await signedIn(answer.data);
  } else {
    show();
  }
  window.addEventListener('hashchange', show);
}

start();
