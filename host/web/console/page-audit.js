// The audit log, newest first: GET /console/api/audit?before=ID&limit=N.
import { errorText, get } from './api.js';
import { el, table, time } from './dom.js';
import { t } from './i18n.js';

const COLUMNS = ['at_ms', 'operator', 'role', 'action', 'target', 'status', 'client_ip', 'detail'];

function rowsOf(data) {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data.data)) return data.data;
  return [];
}

export function renderAudit(ctx) {
  const message = el('p', { class: 'error', testid: 'error', hidden: true });
  const results = el('div', { class: 'table-wrap', testid: 'audit-results' });
  const more = el('button', { type: 'button', testid: 'next-page', hidden: true }, t('audit.more'));
  let rows = [];
  let next = null;

  function draw() {
    results.textContent = '';
    results.appendChild(
      table(
        COLUMNS.map((key) => ({
          label: t(`audit.${key === 'at_ms' ? 'at' : key}`),
          value: (r) => {
            if (key === 'at_ms') return time(r.at_ms, true);
            if (key === 'role') return r.role ? t(`role.${r.role}`) : '';
            return r[key] === undefined || r[key] === null ? '' : String(r[key]);
          },
          class: key === 'status' ? 'num' : key === 'detail' || key === 'action' || key === 'target' ? 'wrap' : 'nowrap',
        })),
        rows,
        (r) => ({ testid: 'audit-row', 'data-action': r.action }),
        t('none'),
      ),
    );
    more.hidden = !next;
  }

  async function load() {
    const params = new URLSearchParams({ limit: '100' });
    if (next) params.set('before', String(next));
    const answer = await get(`/console/api/audit?${params}`);
    if (!ctx.alive()) return;
    if (!answer.ok) {
      message.textContent = errorText(answer);
      message.hidden = false;
      return;
    }
    const page = rowsOf(answer.data).filter((r) => r && typeof r === 'object');
    rows = [...rows, ...page];
    const d = answer.data || {};
    next = d.has_more && d.next_before ? d.next_before : null;
    draw();
  }

  more.addEventListener('click', load);
  ctx.view.append(message, results, more);
  load();
}
