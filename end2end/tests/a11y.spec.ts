import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { login, studentLogin } from './flow';

// axe (WCAG 2 A/AA and best practices) finds nothing on the page as it is now.
async function noViolations(page: Page, what: string) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `accessibility violations on ${what}`).toEqual([]);
}

test('the public pages have no accessibility violations', async ({ page }) => {
  await page.goto('/');
  await noViolations(page, '首页');
  await page.goto('/verify');
  await noViolations(page, '协议验证');
});

test('the main pages of each role have no accessibility violations', async ({ page }) => {
  await studentLogin(page, 0);
  await noViolations(page, '学生用户中心');
  await page.goto('/student/invitations');
  await noViolations(page, '电子签约');
  await page.getByRole('button', { name: '退出' }).click();

  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await noViolations(page, '用人单位用户中心');
  await page.goto('/employer/sign');
  await expect(page.getByRole('heading', { name: '签约发送列表' })).toBeVisible();
  await noViolations(page, '签约发送');
  await page.getByRole('button', { name: '退出' }).click();

  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  await noViolations(page, '管理员用户中心');
  await page.goto('/admin/agreements');
  await expect(page.getByRole('heading', { name: '签约管理' }).last()).toBeVisible();
  await noViolations(page, '签约管理');
  await page.goto('/admin/terminations');
  await noViolations(page, '解约管理');
});
