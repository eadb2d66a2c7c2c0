// axe (WCAG 2 A/AA and best practices) on the page as it is now: the test fails on any violation.
import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

export async function noViolations(page: Page, what: string) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  await expect(page.locator('main .loading')).toHaveCount(0);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `accessibility violations on ${what}`).toEqual([]);
}
