// The loaded plugins: name, kind, file, channels and options (secrets already masked by the
// server as "••••").
import { errorText, get } from './api.js';
import { el, table } from './dom.js';
import { t } from './i18n.js';

// One line per option: its name and its value as compact JSON.
function options(values) {
  if (!values || typeof values !== 'object' || !Object.keys(values).length) return '';
  return el(
    'dl',
    { class: 'options' },
    Object.entries(values).map(([name, value]) => [el('dt', {}, name), el('dd', {}, JSON.stringify(value))]),
  );
}

export async function renderPlugins(ctx) {
  const answer = await get('/console/api/plugins');
  if (!ctx.alive()) return;
  if (!answer.ok || !answer.data || !Array.isArray(answer.data.plugins)) {
    ctx.view.appendChild(el('p', { class: 'error', testid: 'error' }, errorText(answer)));
    return;
  }
  const mode = answer.data.livemode ? t('mode.live') : t('mode.test');
  const list = answer.data.plugins.filter((p) => p && typeof p === 'object');
  ctx.view.append(
    el('p', { class: 'mode', testid: 'plugins-mode' }, `${t('plugins.mode')}: `, el('strong', { class: answer.data.livemode ? 'live' : 'test' }, mode)),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: t('plugins.name'), value: (p) => el('strong', {}, String(p.name ?? '')) },
          { label: t('plugins.kind'), value: (p) => String(p.kind ?? '') },
          { label: t('plugins.mode'), value: () => mode },
          { label: t('plugins.channels'), value: (p) => (Array.isArray(p.channels) ? p.channels.join(', ') : ''), class: 'text' },
          {
            label: t('plugins.options'),
            value: (p) => options(p.options),
            class: 'wrap',
          },
          { label: t('plugins.file'), value: (p) => el('code', { title: String(p.file ?? '') }, String(p.file ?? '').split('/').pop()) },
        ],
        list,
        (p) => ({ testid: 'plugin-row', 'data-name': p.name }),
        t('none'),
      ),
    ),
  );
}
