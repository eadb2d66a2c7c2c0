import { expect, test } from '@playwright/test';
import { studentLogin } from './flow';

// What the release build sends a browser: every file precompressed (brotli, as Chromium accepts
// it), the hashed names cached for a year, the rest revalidated, and no request failing.

const IMMUTABLE = 'public, max-age=31536000, immutable';

test('a first visit loads every file brotli-compressed, and nothing answers 404', async ({ page }) => {
  const seen: { url: string; status: number; encoding?: string; cache?: string }[] = [];
  page.on('response', (r) => {
    const h = r.headers();
    seen.push({ url: new URL(r.url()).pathname, status: r.status(), encoding: h['content-encoding'], cache: h['cache-control'] });
  });
  // The public page, then a student's area (its lazy WASM chunks are loaded by their hashed names).
  await studentLogin(page, 0);
  await expect(page.getByText('当前就业情况')).toBeVisible();
  await page.reload();
  await expect(page.getByText('当前就业情况')).toBeVisible();

  expect(seen.filter((r) => r.status >= 400)).toEqual([]);
  const pkg = seen.filter((r) => r.url.startsWith('/pkg/') && r.status === 200);
  expect(pkg.some((r) => r.url.endsWith('.wasm'))).toBe(true);
  expect(pkg.some((r) => r.url.endsWith('.css'))).toBe(true);
  for (const r of pkg) {
    expect(r.encoding, r.url).toBe('br');
    expect([IMMUTABLE, 'no-cache'], r.url).toContain(r.cache);
  }
  for (const r of seen.filter((r) => !r.url.startsWith('/pkg/') && !r.url.startsWith('/api/') && r.status === 200)) {
    if (r.url === '/favicon.ico' || r.url === '/favicon.svg') continue;
    expect(r.cache, r.url).toBe('private, no-cache');
  }
});

test('the main WASM module is sent as brotli and cached for a year; the favicon revalidates with 304', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const wasm = html.match(/href="(\/pkg\/wangqian\.[\w-]{22}\.wasm)"/)?.[1];
  expect(wasm, 'the page preloads the hashed main module').toBeTruthy();

  const r = await request.get(wasm!, { headers: { 'Accept-Encoding': 'br' } });
  expect(r.status()).toBe(200);
  expect(r.headers()['content-encoding']).toBe('br');
  expect(r.headers()['cache-control']).toBe(IMMUTABLE);

  const icon = await request.get('/favicon.ico');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toBe('image/x-icon');
  const since = icon.headers()['last-modified'];
  expect(since).toBeTruthy();
  const again = await request.get('/favicon.ico', { headers: { 'If-Modified-Since': since } });
  expect(again.status()).toBe(304);
});
