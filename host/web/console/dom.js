// Building the page: elements and text only (never HTML from data), money as integer fen.

// el('td', {class: 'num', testid: 'x', onclick: fn}, 'text', node, [more], null)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'testid') node.dataset.testid = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'value') node.value = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function pad2(n) {
  return n < 10 ? `0${n}` : String(n);
}

// 12345 → "123.45", -5 → "-0.05". Integer arithmetic only: fen are integers and stay so.
export function yuan(fen) {
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen)) return String(fen ?? '');
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${pad2(abs % 100)}`;
}

// "12.3" → 1230, "0.05" → 5, "7" → 700; null for anything else. Parsed as text, never as a
// float, so no amount is ever rounded.
export function parseYuan(text) {
  const m = /^\s*(\d{1,10})(?:\.(\d{1,2}))?\s*$/.exec(String(text));
  if (!m) return null;
  const cents = m[2] === undefined ? 0 : Number.parseInt(m[2].padEnd(2, '0'), 10);
  return Number.parseInt(m[1], 10) * 100 + cents;
}

// Unix seconds (or ms with `ms`) → "YYYY-MM-DD HH:MM:SS" in the browser's time zone.
export function time(value, ms = false) {
  if (typeof value !== 'number') return '';
  const d = new Date(ms ? value : value * 1000);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}

// A local date "YYYY-MM-DD" → Unix seconds at its local midnight (`days` later); null if bad.
export function dateToUnix(text, days = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return Math.floor(d.getTime() / 1000);
}

export function isoDate(d) {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

// A ratio 0..1 → "97.5%".
export function percent(ratio) {
  if (typeof ratio !== 'number') return '';
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;
}

// columns: [{label, value: row => text|Node, class}]; rowAttrs: row => attributes of the <tr>.
export function table(columns, rows, rowAttrs = () => ({}), emptyText = '') {
  const head = el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.class }, c.label))));
  const body = el('tbody');
  for (const row of rows) {
    body.appendChild(
      el('tr', rowAttrs(row), columns.map((c) => el('td', { class: c.class }, c.value(row)))),
    );
  }
  if (rows.length === 0 && emptyText) {
    body.appendChild(el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, emptyText)));
  }
  return el('table', {}, head, body);
}

// Any JSON value as readable text (options, extra, metadata).
export function jsonText(value) {
  return JSON.stringify(value ?? null, null, 2);
}
