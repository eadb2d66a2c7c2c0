// The `test` every spec uses: it fails a test on any uncaught error in the page (a hydration
// panic is one) and on any console error, so a page that crashes while the assertions still
// find their text cannot pass unnoticed.
import { test as base, expect } from '@playwright/test';

// Chromium logs every 4xx answer to fetch() as "Failed to load resource"; the app answers 4xx
// on purpose (a wrong password, a refused action) and shows the message on the page. A 5xx is
// never expected and still fails the test.
const expectedNetworkRefusal = /^Failed to load resource: the server responded with a status of 4\d\d/;

export const test = base.extend<{ pageErrors: void }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !expectedNetworkRefusal.test(m.text())) errors.push(`console.error: ${m.text()}`);
      });
      await use();
      expect(errors, 'errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
