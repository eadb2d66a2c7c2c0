import type { Locator, Page } from '@playwright/test';
import { noViolations } from './axe';
import { expect, test } from './fixtures';
import { PASSWORD, studentId } from './demo';
import { NAMES, acceptInvitation, login, phone, searchAndAdd, sendLetter, smsCode, studentLogin } from './flow';

test('the student user center works on a phone screen', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: '毕业生登录' }).tap();
  await page.locator('input[name="login"]').fill(studentId(3));
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).tap();
  await expect(page).toHaveURL(/\/student$/);
  await expect(page.getByRole('heading', { name: '信息验证' })).toBeVisible();
  await page.getByRole('button', { name: '获取验证码' }).tap();
  await page.locator('input[name="code"]').fill(await smsCode(phone(3)));
  await page.getByRole('button', { name: '验证', exact: true }).tap();
  await expect(page.getByRole('heading', { name: '学生基本信息' })).toBeVisible();
  // No horizontal scrolling on a 390 px screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});

// The key column of a list (its state and its action) is on screen at 390 px, without scrolling
// sideways: each row is a card of "label: value" lines.
async function onScreen(page: Page, target: Locator) {
  await expect(target).toBeVisible();
  const box = await target.boundingBox();
  expect(box, 'the element has a box').not.toBeNull();
  const width = page.viewportSize()!.width;
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(1);
}

test('on a phone every main list shows its rows as cards with the action on screen', async ({ page }) => {
  const i = 3;
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  const listed = page.getByRole('table', { name: '签约发送列表' }).getByRole('row').filter({ hasText: NAMES[i] });
  await onScreen(page, listed.getByRole('link', { name: '邀约' }));
  await sendLetter(page, i, '移动开发工程师');
  await page.goto('/employer/invitations');
  await onScreen(page, page.getByRole('row').filter({ hasText: NAMES[i] }).getByText('待应约').first());
  await page.getByRole('button', { name: '退出' }).click();

  await studentLogin(page, i);
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '电子签约' }).click();
  const invitation = page.getByRole('row').filter({ hasText: '移动开发工程师' });
  await onScreen(page, invitation.getByRole('link', { name: '查看邀请函' }));
  await acceptInvitation(page, '移动开发工程师');
  await page.getByRole('button', { name: '退出' }).click();

  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  await page.goto('/admin/agreements?status=awaiting_review');
  const review = page.getByRole('table', { name: '签约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] });
  await onScreen(page, review.getByText('等待签约审核'));
  await onScreen(page, review.getByRole('link', { name: '详情' }));
  await page.screenshot({ path: 'test-results/phone-admin-agreements.png', fullPage: true });
});

test('on a phone the menu is one compact block above the page', async ({ page }) => {
  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  const menu = page.getByRole('navigation', { name: '核心功能菜单' });
  const links = menu.getByRole('link');
  expect(await links.count()).toBeGreaterThan(0);
  // The menu is no taller than its links need: no empty bands.
  const boxes = await links.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().bottom));
  const menuBox = (await menu.boundingBox())!;
  expect(menuBox.y + menuBox.height - Math.max(...boxes)).toBeLessThanOrEqual(16);
  expect(menuBox.height).toBeLessThan(page.viewportSize()!.height / 3);
  await page.screenshot({ path: 'test-results/phone-admin-home.png', fullPage: true });
});

// 修改密码 and 学校管理 on a 390 px screen: nothing scrolls sideways, the forms' buttons and each
// admin account's actions (a card per row) are on screen, and axe finds no violation.
test('on a phone 修改密码 and 学校管理 fit the screen with their actions on it', async ({ page }) => {
  await login(page, '管理员', 'province');
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto('/admin/schools');
  await expect(page.getByRole('heading', { name: '10001 江城大学' })).toBeVisible();
  await noViolations(page, '/admin/schools on a phone');
  await onScreen(page, page.getByRole('button', { name: '新增学校', exact: true }));
  const jcdx = page.locator('section.panel', { has: page.getByRole('heading', { name: '10001 江城大学' }) });
  const admin = jcdx.getByRole('row').filter({ hasText: 'jcdx_admin' });
  await onScreen(page, admin.getByText('正常'));
  await onScreen(page, admin.getByRole('button', { name: '重置密码' }));
  await onScreen(page, jcdx.getByRole('button', { name: '新增学校管理员' }));
  await page.screenshot({ path: 'test-results/phone-admin-schools.png', fullPage: true });

  await page.goto('/password');
  await expect(page.getByRole('heading', { name: '修改密码' })).toBeVisible();
  await noViolations(page, '/password on a phone');
  await onScreen(page, page.getByLabel('确认新密码'));
  await onScreen(page, page.getByRole('button', { name: '确认修改' }));
  // A refusal is shown on the page, on screen, and what was typed stays.
  await page.getByLabel('原密码').fill('not-the-password');
  await page.getByLabel('新密码', { exact: true }).fill('Phone2027x');
  await page.getByLabel('确认新密码').fill('Phone2027x');
  await page.getByRole('button', { name: '确认修改' }).tap();
  await onScreen(page, page.getByRole('alert').filter({ hasText: '原密码不正确' }));
  await expect(page.getByLabel('新密码', { exact: true })).toHaveValue('Phone2027x');
  await page.screenshot({ path: 'test-results/phone-password.png', fullPage: true });
});

// 审核设置 on a 390 px screen: both forms' buttons on screen, nothing sideways, no axe violation.
test('on a phone 审核设置 fits the screen with its buttons on it', async ({ page }) => {
  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  await page.goto('/admin/review-settings');
  await expect(page.getByRole('table', { name: '审核方式' })).toContainText('江城大学');
  await noViolations(page, '/admin/review-settings on a phone');
  await onScreen(page, page.getByRole('button', { name: '保存审核方式' }));
  await onScreen(page, page.getByRole('button', { name: '保存提醒设置' }));
});
