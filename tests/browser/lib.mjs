// Shared by the browser scripts: Playwright from the build tree's npm install, Debian's
// chromium, the environment console_browser_test.cpp sets, checks that say what failed.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

export function env(name) {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

function playwright() {
  const dir = env('PAYHOST_BROWSER_NODE_DIR');
  const require = createRequire(path.join(dir, 'package.json'));
  try {
    return require('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core is not installed in ${dir} (build the browser_node_modules target: npm ci): ${e.message}`);
  }
}

export async function launch() {
  const executablePath = process.env.PAYHOST_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`no chromium at ${executablePath} (apt-get install chromium)`);
  const { chromium } = playwright();
  // Chinese as the browser's own language too (date fields, number formats).
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--lang=zh-CN'],
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN' },
  });
  return browser;
}

// A fresh context (own cookies) at 1280x800, Chinese, collecting page errors and CSP
// violations: any of them fails the run at the end.
export async function newPage(browser, problems, locale = 'zh-CN') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale, timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|403|404|409|422|429)/.test(m.text())) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  return { context, page };
}

export const screenshotDir = process.env.PAYHOST_SCREENSHOTS || '';

export async function screenshot(page, name) {
  if (!screenshotDir) return;
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

let failures = 0;
let passes = 0;

export function check(condition, what) {
  if (condition) {
    passes += 1;
  } else {
    failures += 1;
    console.error(`FAIL: ${what}`);
  }
  return condition;
}

export function equal(actual, expected, what) {
  return check(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// Runs one named step; an exception fails it (and is reported) without hiding later steps
// unless `fatal`.
export async function step(name, fn, fatal = false) {
  const started = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failures += 1;
    console.error(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
    if (fatal) throw e;
  }
}

export function finish(problems) {
  for (const p of problems) {
    failures += 1;
    console.error(`FAIL ${p}`);
  }
  console.log(`${passes} checks passed, ${failures} failed`);
  process.exitCode = failures ? 1 : 0;
}

// JSON over HTTP from Node (not the browser): the test's own look at the API.
export async function api(method, url, { headers = {}, body } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, redirect: 'manual' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(url, init);
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: r.status, json, text, headers: r.headers };
}
