// 学校管理: the province admin adds a school and its admin, whose one-time password is shown
// once; the new admin must choose a password, then sees only the new school.
import { Page } from '@playwright/test';
import { noViolations } from './axe';
import { expect, test } from './fixtures';
import { PASSWORD } from './demo';

async function adminLogin(page: Page, account: string, password: string) {
  await page.goto('/?kind=admin');
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

test('the province adds a school and its admin, who sets a password and sees only that school', async ({ page }) => {
  await adminLogin(page, 'province', PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
  await page.locator('html[data-hydrated]').waitFor();
  await page.getByRole('link', { name: '学校管理' }).click();
  await expect(page).toHaveURL(/\/admin\/schools$/);
  await expect(page.getByRole('heading', { name: '10001 江城大学' })).toBeVisible();

  // A wrong code is refused and what was typed stays.
  await page.getByLabel('院校代码').fill('1048');
  await page.getByLabel('学校名称').fill('武汉大学');
  await page.getByRole('button', { name: '新增学校', exact: true }).click();
  await expect(page.getByLabel('院校代码')).toHaveValue('1048');
  await page.getByLabel('院校代码').fill('10486');
  await page.getByRole('button', { name: '新增学校', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '学校已保存' })).toBeVisible();
  const whu = page.locator('section.panel', { has: page.getByRole('heading', { name: '10486 武汉大学' }) });
  await expect(whu).toContainText('毕业生 0 人');

  await whu.getByLabel('管理员账号', { exact: true }).fill('whu_admin');
  await whu.getByLabel('名称', { exact: true }).fill('武汉大学就业指导中心');
  await whu.getByRole('button', { name: '新增学校管理员' }).click();
  const shown = whu.getByRole('status').filter({ hasText: '一次性密码' });
  await expect(shown).toBeVisible();
  const oneTime = (await shown.locator('strong').textContent())!.trim();
  await expect(whu.getByRole('cell', { name: 'whu_admin' })).toBeVisible();
  await expect(whu.getByText('待修改初始密码')).toBeVisible();
  await noViolations(page, '/admin/schools with a one-time password shown');

  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
  await adminLogin(page, 'whu_admin', oneTime);
  await expect(page).toHaveURL(/\/password$/);
  await page.getByLabel('原密码').fill(oneTime);
  await page.getByLabel('新密码', { exact: true }).fill('Wuhan2027');
  await page.getByLabel('确认新密码').fill('Wuhan2027');
  await page.getByRole('button', { name: '确认修改' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText('武汉大学', { exact: true })).toBeVisible();
});
