import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { NAMES, acceptInvitation, login, searchAndAdd, sendLetter, studentLogin } from './flow';

// At 1280 px every list on the page fits its panel: no column (state, action) is cut off.
async function listsFit(page: Page, shot: string) {
  await expect(page.locator('table.list').first()).toBeVisible();
  const overflowing = await page.locator('.table-wrap').evaluateAll((wraps) =>
    wraps.filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => w.querySelector('table')?.getAttribute('aria-label') ?? '?'),
  );
  expect(overflowing, 'lists wider than their panel').toEqual([]);
  await page.screenshot({ path: `test-results/${shot}.png`, fullPage: true });
}

test('at 1280 px the 签约发送列表, 电子签约 and 签约管理 lists fit their panels', async ({ page }) => {
  const i = 6;
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  await listsFit(page, 'desktop-employer-sign');
  await sendLetter(page, i, '数据分析师');
  await page.goto('/employer/invitations');
  await listsFit(page, 'desktop-employer-invitations');
  await page.getByRole('button', { name: '退出' }).click();

  await studentLogin(page, i);
  await page.goto('/student/invitations');
  await listsFit(page, 'desktop-student-invitations');
  await acceptInvitation(page, '数据分析师');
  await page.getByRole('button', { name: '退出' }).click();

  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  await page.goto('/admin/agreements');
  await expect(page.getByRole('table', { name: '签约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] })).toBeVisible();
  await listsFit(page, 'desktop-admin-agreements');
});
