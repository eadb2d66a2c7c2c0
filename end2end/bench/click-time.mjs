// `make bench`, figure 8: time to a working click under DevTools' "Slow 4G", in Chromium.
//
//   node end2end/bench/click-time.mjs BASE_URL STUDENT_LOGIN [RUNS [EMPLOYER_LOGIN ADMIN_LOGIN]]
//
// Prints one JSON object on stdout: for each case, the median of RUNS fresh visits (nothing
// cached, a new browser context each time) and every run's figures, in milliseconds from the
// navigation's start (the document's time origin):
//   hydrated: the page is live (`<html data-hydrated>`, set by the WASM entry point once the
//             page has hydrated);
//   click:    a click on a real control, made as soon as the page is live, has been answered by
//             the app in place (a client-side navigation, without loading another document).
// The cases: the home page `/` (click the 用人单位登录 tab; answered when that tab is selected and
// the account field reads 单位账号), and a student's 用户中心 `/student` (click 电子签约 in the
// menu; answered when the page 电子签约 is shown, its title in the header); with the two optional
// logins also an employer's 用户中心 `/employer` (click 签约列表) and a school admin's `/admin`
// (click 签约管理), answered the same way. Each case runs with
// the network throttled alone (the target) and again with the CPU slowed down 4× (context).
// See docs/perf.md ("Time to a working click").
import { chromium } from '@playwright/test';

const [base, studentLogin, runsArg, employerLogin, adminLogin] = process.argv.slice(2);
if (!base || !studentLogin) {
  console.error('usage: click-time.mjs BASE_URL STUDENT_LOGIN [RUNS]');
  process.exit(2);
}
const RUNS = Number(runsArg ?? 3);
const PASSWORD = 'Demo@2026';

// DevTools' "Slow 4G" preset, as DevTools itself sends it (Chromium's NetworkManager): a 150 ms
// RTT, 1.6 Mbit/s down, 750 kbit/s up network, emulated per request with 3.75× the RTT as latency
// and 90 % of the throughput (bytes per second).
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
};

// A click on a menu link of a signed-in area, answered when that page shows its title.
const menuCase = (name, path, kind, login, label, to) => ({
  name,
  path,
  login: { kind, login },
  click: (page) => page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: label }).click(),
  answered: new Function(
    `return window.__sameDocument === true && location.pathname === ${JSON.stringify(to)} &&
      document.querySelector('h1.area')?.textContent === ${JSON.stringify(label)} && performance.now();`,
  ),
});

const CASES = [
  {
    name: 'home',
    path: '/',
    login: null,
    click: (page) => page.getByRole('tab', { name: '用人单位登录' }).click(),
    answered: () =>
      window.__sameDocument === true &&
      document.querySelector('a[role="tab"][aria-selected="true"]')?.textContent?.includes('用人单位') &&
      document.querySelector('input[name="login"]')?.getAttribute('placeholder') === '单位账号' &&
      performance.now(),
  },
  {
    name: 'student',
    path: '/student',
    login: { kind: 'student', login: studentLogin },
    click: (page) => page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '电子签约' }).click(),
    answered: () =>
      window.__sameDocument === true &&
      location.pathname === '/student/invitations' &&
      document.querySelector('h1.area')?.textContent === '电子签约' &&
      performance.now(),
  },
];
if (employerLogin) CASES.push(menuCase('employer', '/employer', 'employer', employerLogin, '签约列表', '/employer/invitations'));
if (adminLogin) CASES.push(menuCase('admin', '/admin', 'admin', adminLogin, '签约管理', '/admin/agreements'));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

async function visit(c, cpuRate) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  try {
    if (c.login) {
      // Logged in beforehand, unthrottled: the figure is about the page, not the login.
      const r = await context.request.post(`${base}/api/login`, {
        form: { kind: c.login.kind, login: c.login.login, password: PASSWORD },
        maxRedirects: 0,
      });
      if (r.status() >= 400) throw new Error(`login ${c.login.login}: ${r.status()} ${await r.text()}`);
    }
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    if (cpuRate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
    // Marks the document: a click answered by loading another document loses the mark.
    await page.addInitScript(() => {
      window.__sameDocument = true;
    });
    await page.goto(`${base}${c.path}`, { waitUntil: 'commit', timeout: 60_000 });
    const live = await page.waitForFunction(
      () => document.documentElement.hasAttribute('data-hydrated') && performance.now(),
      null,
      { polling: 'raf', timeout: 60_000 },
    );
    const hydrated = await live.jsonValue();
    await c.click(page);
    const answer = await page.waitForFunction(c.answered, null, { polling: 'raf', timeout: 60_000 });
    const click = await answer.jsonValue();
    if (errors.length) throw new Error(`${c.path}: errors in the page: ${errors.join('; ')}`);
    return { hydrated: Math.round(hydrated), click: Math.round(click) };
  } finally {
    await context.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const out = { runs: RUNS, network: SLOW_4G, cases: [] };
try {
  for (const cpu of [1, 4]) {
    for (const c of CASES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await visit(c, cpu));
      out.cases.push({
        name: c.name,
        path: c.path,
        cpu,
        hydrated: median(runs.map((r) => r.hydrated)),
        click: median(runs.map((r) => r.click)),
        each: runs,
      });
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
