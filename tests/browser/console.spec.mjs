// The operator console in chromium against the real payhostd (console_browser_test.cpp
// starts it, makes the data and checks the database afterwards).
import { api, check, env, equal, finish, launch, newPage, screenshot, step } from './lib.mjs';

const base = env('PAYHOST_URL');
const finance = { name: env('PAYHOST_FINANCE_NAME'), password: env('PAYHOST_FINANCE_PASSWORD') };
const viewer = { name: env('PAYHOST_VIEWER_NAME'), password: env('PAYHOST_VIEWER_PASSWORD') };
const refundOrderNo = env('PAYHOST_REFUND_ORDER_NO');
const refundChargeId = env('PAYHOST_REFUND_CHARGE_ID');
const cashToPass = env('PAYHOST_CASH_PASS');
const cashToRefuse = env('PAYHOST_CASH_REFUSE');
const campusPath = process.env.PAYHOST_CAMPUS_PATH ?? '';

const problems = [];

async function signIn(page, who) {
  await page.goto(`${base}/console/`);
  await page.getByTestId('signin-name').fill(who.name);
  await page.getByTestId('signin-password').fill(who.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('nav-overview').waitFor();
}

// What a script on the page could do with the session: fetch with the cookie, with or
// without the CSRF header.
async function pageFetch(page, method, path, body, withCsrf) {
  return page.evaluate(
    async ({ method, path, body, withCsrf }) => {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (withCsrf) {
        const s = await fetch('/console/api/session', { credentials: 'same-origin' });
        headers['X-CSRF-Token'] = (await s.json()).csrf_token;
      }
      const r = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
      let json = null;
      try {
        json = await r.json();
      } catch {
        json = null;
      }
      return { status: r.status, json };
    },
    { method, path, body, withCsrf },
  );
}

const browser = await launch();
try {
  const { context, page } = await newPage(browser, problems);

  await step(
    'the sign-in page; a wrong password is refused',
    async () => {
      const first = await page.goto(`${base}/console/`);
      equal(first.status(), 200, 'GET /console/');
      check((first.headers()['content-security-policy'] || '').includes("script-src 'self'"), 'the page carries the CSP');
      await page.getByTestId('signin-form').waitFor();
      await screenshot(page, 'console-signin');
      await page.getByTestId('signin-name').fill(finance.name);
      await page.getByTestId('signin-password').fill('not-the-password');
      await page.getByTestId('signin-submit').click();
      const error = page.getByTestId('signin-error');
      await error.waitFor();
      equal(await error.textContent(), '用户名或密码错误', 'the 401 message');
    },
    true,
  );

  await step(
    'sign in as finance',
    async () => {
      await page.getByTestId('signin-password').fill(finance.password);
      await page.getByTestId('signin-submit').click();
      await page.getByTestId('nav-overview').waitFor();
      const who = await page.getByTestId('operator').textContent();
      check(who.includes(finance.name) && who.includes('财务'), `operator shown: ${who}`);
      for (const nav of ['overview', 'charges', 'withdrawals', 'campus', 'plugins', 'audit']) {
        equal(await page.getByTestId(`nav-${nav}`).count(), 1, `nav link ${nav}`);
      }
      equal(await page.getByTestId('nav-overview').textContent(), '概览', 'Chinese by default');
    },
    true,
  );

  await step('the overview draws three charts and their tables', async () => {
    await page.getByTestId('chart-days').waitFor();
    for (const id of ['chart-volume', 'chart-rate', 'chart-days']) {
      const drawn = await page.getByTestId(id).evaluate((canvas) => {
        const chart = window.Chart && window.Chart.getChart(canvas);
        if (!chart) return { chart: false };
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted += 1;
        const values = chart.data.datasets.flatMap((d) => d.data);
        return { chart: true, painted, datasets: chart.data.datasets.length, max: Math.max(0, ...values) };
      });
      check(drawn.chart, `${id}: a Chart instance`);
      check(drawn.painted > 1000, `${id}: pixels drawn (${drawn.painted})`);
      check(drawn.datasets > 0 && drawn.max > 0, `${id}: data (${drawn.datasets} datasets, max ${drawn.max})`);
    }
    const today = await page.getByTestId('table-today').textContent();
    check(/alipay_qr/.test(today) && /\d+\.\d\d/.test(today), `today's table: ${today.slice(0, 200)}`);
    await screenshot(page, 'console-overview');
  });

  await step('find a charge by order_no and open its timeline', async () => {
    await page.getByTestId('nav-charges').click();
    await page.getByTestId('charge-row').first().waitFor();
    check((await page.getByTestId('charge-row').count()) >= 5, 'the list shows the charges');
    await screenshot(page, 'console-charges');
    await page.getByTestId('search-order_no').fill(refundOrderNo);
    await page.getByTestId('search-submit').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="charge-row"]').length === 1);
    const row = page.getByTestId('charge-row');
    equal(await row.getAttribute('data-id'), refundChargeId, 'the one row found');
    await row.locator('td').nth(1).click();
    await page.waitForURL(`**/console/#/charges/${refundChargeId}`);
    await page.getByTestId('timeline-item').first().waitFor();
    const kinds = await page.getByTestId('timeline-item').evaluateAll((items) => items.map((i) => i.dataset.kind));
    check(kinds[0] === 'created', `the timeline starts with created: ${kinds}`);
    check(kinds.includes('notification') || kinds.includes('settled'), `the payment is on the timeline: ${kinds}`);
  });

  await step('refund part of it: errors shown, then the refund recorded', async () => {
    const form = page.getByTestId('refund-form');
    await form.waitFor();
    await page.getByTestId('refund-amount').fill('99999');
    await page.getByTestId('refund-reason').fill('超额退款');
    await page.getByTestId('refund-submit').click();
    const message = page.getByTestId('refund-message');
    await message.waitFor();
    const refused = await message.textContent();
    check(/^4\d\d /.test(refused) && /refund_exceeds|exceed|超/.test(refused), `an excessive refund is refused: ${refused}`);
    await page.getByTestId('refund-amount').fill('1.234');
    await page.getByTestId('refund-submit').click();
    equal(await message.textContent(), '金额格式不正确，例如 12.34', 'a malformed amount is refused in the page');
    await page.getByTestId('refund-amount').fill('2.50');
    await page.getByTestId('refund-reason').fill('顾客申请部分退款');
    await page.getByTestId('refund-submit').click();
    await page.getByTestId('refund-row').first().waitFor();
    const row = await page.getByTestId('refund-row').first().textContent();
    check(row.includes('2.50') && row.includes(`console:${finance.name}`), `the refund row: ${row}`);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="timeline-item"]')].some((i) => i.dataset.kind === 'refund'));
    await screenshot(page, 'console-charge');
  });

  await step('a change without the CSRF header is refused', async () => {
    const r = await pageFetch(page, 'POST', `/console/api/charges/${refundChargeId}/refunds`, { amount: 1, reason: 'csrf' }, false);
    equal(r.status, 403, 'status without X-CSRF-Token');
    equal(r.json && r.json.error && r.json.error.code, 'csrf', 'error code');
  });

  await step('decide withdrawals: pass one, refuse one', async () => {
    await page.getByTestId('nav-withdrawals').click();
    const passRow = page.locator(`[data-testid="withdrawal-row"][data-id="${cashToPass}"]`);
    const refuseRow = page.locator(`[data-testid="withdrawal-row"][data-id="${cashToRefuse}"]`);
    await passRow.waitFor();
    await refuseRow.waitFor();
    await screenshot(page, 'console-withdrawals');
    await refuseRow.getByTestId('withdrawal-refuse').click();
    const message = page.getByTestId('message');
    await message.waitFor();
    check((await message.textContent()).includes('请输入备注信息'), `a refusal without remark: ${await message.textContent()}`);
    await passRow.getByTestId('withdrawal-remark').fill('已打款');
    await passRow.getByTestId('withdrawal-pass').click();
    await passRow.waitFor({ state: 'detached' });
    check((await message.textContent()).includes('操作成功'), `passed: ${await message.textContent()}`);
    await refuseRow.getByTestId('withdrawal-remark').fill('账户有误');
    await refuseRow.getByTestId('withdrawal-refuse').click();
    await refuseRow.waitFor({ state: 'detached' });
    check((await message.textContent()).includes('操作成功'), `refused: ${await message.textContent()}`);
  });

  await step('a decided withdrawal is not decided again', async () => {
    for (const [id, verb] of [[cashToPass, 'refuse'], [cashToRefuse, 'passed']]) {
      const r = await pageFetch(page, 'PATCH', `/api/v2/admin/wallet/cashes/${id}/${verb}`, { remark: 'again' }, true);
      equal(r.status, 409, `withdrawal ${id} ${verb} a second time`);
    }
  });

  await step('campus orders and their export', async () => {
    await page.getByTestId('nav-campus').click();
    await page.getByTestId('campus-results').locator('table').waitFor();
    check((await page.getByTestId('campus-row').count()) >= 1, 'a campus order listed');
    const href = await page.getByTestId('campus-export').getAttribute('href');
    check(href.startsWith(`${campusPath}/admin/orders.csv?from=`), `export link: ${href}`);
    const csv = await page.evaluate(async (url) => {
      const r = await fetch(url, { credentials: 'same-origin' });
      return { status: r.status, type: r.headers.get('Content-Type'), text: await r.text() };
    }, href);
    equal(csv.status, 200, 'the export');
    check((csv.type || '').startsWith('text/csv'), `export type ${csv.type}`);
    await screenshot(page, 'console-campus');
  });

  await step('plugins', async () => {
    await page.getByTestId('nav-plugins').click();
    await page.getByTestId('plugin-row').first().waitFor();
    const names = await page.getByTestId('plugin-row').evaluateAll((rows) => rows.map((r) => r.dataset.name));
    for (const name of ['alipay', 'wechat', 'unionpay', 'wallet', 'campus', 'sandbox']) check(names.includes(name), `plugin ${name} listed: ${names}`);
    await screenshot(page, 'console-plugins');
  });

  await step('the audit log shows what was done', async () => {
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-row').first().waitFor();
    const actions = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.dataset.action));
    for (const a of ['signin', 'signin_failed']) check(actions.includes(a), `audit ${a}: ${actions}`);
    check(actions.some((a) => /^PATCH \/api\/v2\/admin\/wallet\/cashes\/\d+\/passed/.test(a)), `audit of the pass: ${actions}`);
    check(actions.some((a) => /^POST \/console\/api\/charges\/.*\/refunds/.test(a)), `audit of the refund: ${actions}`);
    await screenshot(page, 'console-audit');
  });

  await step('the language switch, kept across a reload', async () => {
    await page.getByTestId('lang-en').click();
    equal(await page.getByTestId('nav-overview').textContent(), 'Overview', 'English nav');
    await page.reload();
    await page.getByTestId('nav-overview').waitFor();
    equal(await page.getByTestId('nav-charges').textContent(), 'Charges', 'English after reload');
    await page.getByTestId('lang-zh').click();
    equal(await page.getByTestId('nav-charges').textContent(), '交易', 'Chinese again');
  });

  await step('sign out ends the session', async () => {
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-form').waitFor();
    const r = await page.evaluate(async () => (await fetch('/console/api/session', { credentials: 'same-origin' })).status);
    equal(r, 401, 'GET /console/api/session after sign-out');
  });
  await context.close();

  const viewerPage = await newPage(browser, problems);
  await step('a viewer sees no refund form and no decisions, and is refused', async () => {
    const page2 = viewerPage.page;
    await signIn(page2, viewer);
    check((await page2.getByTestId('operator').textContent()).includes('只读'), 'viewer role shown');
    await page2.goto(`${base}/console/#/charges/${refundChargeId}`);
    await page2.getByTestId('timeline-item').first().waitFor();
    equal(await page2.getByTestId('refund-form').count(), 0, 'no refund form for a viewer');
    const r = await pageFetch(page2, 'POST', `/console/api/charges/${refundChargeId}/refunds`, { amount: 1, reason: 'viewer' }, true);
    equal(r.status, 403, 'a viewer refund');
    equal(r.json && r.json.error && r.json.error.code, 'forbidden', 'its code');
    await page2.getByTestId('nav-withdrawals').click();
    await page2.getByTestId('withdrawal-results').locator('table').waitFor();
    equal(await page2.getByTestId('withdrawal-pass').count(), 0, 'no decision buttons for a viewer');
  });
  await viewerPage.context.close();

  await step('assets: types and refusals', async () => {
    const js = await api('GET', `${base}/console/assets/app.js`);
    equal(js.status, 200, 'app.js');
    check((js.headers.get('content-type') || '').startsWith('text/javascript'), 'app.js is JavaScript');
    const chart = await api('GET', `${base}/console/assets/vendor/chart.umd.min.js`);
    equal(chart.status, 200, 'vendor/chart.umd.min.js');
    equal((await api('GET', `${base}/console/assets/nothing.js`)).status, 404, 'an unknown asset');
  });
} finally {
  await browser.close();
}
finish(problems);
