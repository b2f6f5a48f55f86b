// The sandbox cashier in chromium: one charge of every channel the host offers in test mode
// paid there, then a fail, a close and an expiry (console_browser_test.cpp makes the charges).
import { api, check, env, equal, finish, launch, newPage, screenshot, step } from './lib.mjs';

const base = env('PAYHOST_URL');
const key = env('PAYHOST_API_KEY');
// {"pay":[{"id","channel","return_url"?}], "spare":[{"id","channel"}]}
const plan = JSON.parse(env('PAYHOST_CASHIER_PLAN'));

// What the buyer is shown: a QR code to scan for QR and browser (H5/PC) channels, the
// credential the client SDK gets for app and in-app channels.
const QR = new Set(['alipay_qr', 'wx_pub_qr', 'alipay_wap', 'alipay_pc_direct', 'wx_wap', 'upacp_wap', 'upacp_pc']);
const CREDENTIAL = new Set(['alipay', 'wx', 'upacp', 'applepay_upacp']);

const problems = [];

async function charge(id) {
  return api('GET', `${base}/v1/charges/${id}`, { headers: { Authorization: `Bearer ${key}` } });
}

async function eventually(fn, ms = 8000) {
  const until = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function open(page, id) {
  const answer = await page.goto(`${base}/sandbox/cashier/${id}`);
  equal(answer.status(), 200, `GET /sandbox/cashier/${id}`);
}

// After an action the cashier shows the result page.
async function act(page, action) {
  const button = page.locator(`button[data-action="${action}"]`);
  if ((await button.count()) === 0) throw new Error(`no button[data-action=${action}] on the cashier page (the cashier's test hooks are missing)`);
  await button.click();
  const result = page.getByTestId('result');
  await result.waitFor({ timeout: 15000 }).catch(() => {
    throw new Error(`no [data-testid=result] after ${action}; page: ${page.url()}`);
  });
  return result.textContent();
}

const browser = await launch();
try {
  const { page } = await newPage(browser, problems);
  let qrShot = false;
  let appShot = false;

  for (const c of plan.pay) {
    await step(`${c.channel}: shown, paid in the cashier, paid in /v1`, async () => {
      await open(page, c.id);
      const qr = page.getByTestId('qr');
      const credential = page.locator('pre[data-testid="credential"]');
      if (QR.has(c.channel) || !CREDENTIAL.has(c.channel)) {
        const svg = (await qr.count()) ? await qr.evaluate((n) => (n.tagName.toLowerCase() === 'svg' ? n : n.querySelector('svg')) !== null) : false;
        if (QR.has(c.channel)) check(svg, `${c.channel}: a QR code svg [data-testid=qr]`);
        else check(svg || (await credential.count()) === 1, `${c.channel}: a QR code or the credential`);
      }
      if (CREDENTIAL.has(c.channel)) {
        check((await credential.count()) === 1 && (await credential.textContent()).trim().length > 0, `${c.channel}: the credential <pre data-testid=credential>`);
      }
      if (!qrShot && c.channel === 'alipay_qr') {
        await screenshot(page, 'cashier-qr');
        qrShot = true;
      }
      if (!appShot && c.channel === 'alipay') {
        await screenshot(page, 'cashier-app');
        appShot = true;
      }
      const result = await act(page, 'pay');
      check(result.trim().length > 0, `${c.channel}: a result`);
      if (c.return_url) {
        const link = page.getByTestId('return');
        const href = (await link.count()) ? await link.getAttribute('href') : '';
        check(href.startsWith(c.return_url), `${c.channel}: the return link goes to ${c.return_url}: ${href}`);
      }
      const paid = await eventually(async () => (await charge(c.id)).json?.paid === true);
      check(paid, `${c.channel}: /v1 says paid`);
    });
  }

  // The other endings, each on a charge whose simulator offers it.
  const spare = [...plan.spare];
  for (const action of ['fail', 'close', 'expire']) {
    await step(`${action} in the cashier`, async () => {
      let chosen = null;
      for (const c of spare) {
        await open(page, c.id);
        if ((await page.locator(`button[data-action="${action}"]`).count()) > 0) {
          chosen = c;
          break;
        }
      }
      if (!chosen) throw new Error(`no charge offers button[data-action=${action}] (channels ${spare.map((c) => c.channel)}): the cashier's hook is missing`);
      spare.splice(spare.indexOf(chosen), 1);
      const result = await act(page, action);
      check(result.trim().length > 0, `${action} (${chosen.channel}): a result`);
      const ended = await eventually(async () => {
        await open(page, chosen.id);
        return (await page.locator('button[data-action="pay"]').count()) === 0;
      });
      check(ended, `${action} (${chosen.channel}): the cashier offers no pay any more`);
      const after = await charge(chosen.id);
      equal(after.json && after.json.paid, false, `${action} (${chosen.channel}): /v1 paid`);
      if (action === 'fail') check(after.json && after.json.failure_code, `fail (${chosen.channel}): failure_code in /v1: ${after.text.slice(0, 300)}`);
    });
  }
} finally {
  await browser.close();
}
finish(problems);
