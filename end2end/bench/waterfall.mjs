// Diagnostic beside figure 8: the requests of one first visit under DevTools' "Slow 4G", as a
// waterfall (ms from the navigation's start: sent, first byte, done; bytes on the wire).
//   node end2end/bench/waterfall.mjs BASE_URL PATH [KIND LOGIN]
import { chromium } from '@playwright/test';

const [base, path, kind, login] = process.argv.slice(2);
const SLOW_4G = { offline: false, latency: 150 * 3.75, downloadThroughput: ((1.6e6) / 8) * 0.9, uploadThroughput: ((750e3) / 8) * 0.9 };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});
const context = await browser.newContext({ locale: 'zh-CN' });
if (kind) {
  const r = await context.request.post(`${base}/api/login`, { form: { kind, login, password: 'Demo@2026' }, maxRedirects: 0 });
  if (r.status() >= 400) throw new Error(`login: ${r.status()}`);
}
const page = await context.newPage();
page.on('console', (m) => console.log(`console.${m.type()}: ${m.text()}`));
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
const reqs = new Map();
let t0;
cdp.on('Network.requestWillBeSent', (e) => {
  if (t0 === undefined) t0 = e.timestamp;
  reqs.set(e.requestId, { url: e.request.url.replace(base, ''), prio: e.request.initialPriority, sent: e.timestamp });
});
cdp.on('Network.responseReceived', (e) => { const r = reqs.get(e.requestId); if (r) r.first = e.timestamp; });
cdp.on('Network.loadingFinished', (e) => { const r = reqs.get(e.requestId); if (r) { r.done = e.timestamp; r.bytes = e.encodedDataLength; } });
await page.goto(`${base}${path}`, { waitUntil: 'commit' });
const hydrated = await (await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated') && performance.now(), null, { polling: 'raf', timeout: 60000 })).jsonValue();
await page.waitForTimeout(1500);
const ms = (t) => (t === undefined ? '-' : Math.round((t - t0) * 1000));
let total = 0;
for (const r of reqs.values()) {
  total += r.bytes ?? 0;
  console.log(`${String(ms(r.sent)).padStart(5)} ${String(ms(r.first)).padStart(5)} ${String(ms(r.done)).padStart(5)} ${String(r.bytes ?? '-').padStart(7)} ${r.prio.padEnd(8)} ${r.url.slice(0, 90)}`);
}
console.log(`hydrated ${Math.round(hydrated)} ms, ${reqs.size} requests, ${total} bytes`);
await browser.close();
