// 学院管理: a school admin adds a college and its admin, whose one-time password is shown once;
// the new college admin must choose a password, then sees only that college. A college admin
// gets 无权 on the page.
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

test('a school admin adds a college and its admin, who sets a password and sees only that college', async ({ page }) => {
  await adminLogin(page, 'jcdx_admin', PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
  await page.locator('html[data-hydrated]').waitFor();
  await page.getByRole('link', { name: '学院管理' }).click();
  await expect(page).toHaveURL(/\/admin\/colleges$/);
  const cs = page.locator('section.panel', { has: page.getByRole('heading', { name: '计算机学院' }) });
  await expect(cs).toContainText('毕业生 6 人');
  await expect(cs.getByRole('cell', { name: 'jcdx_cs' })).toBeVisible();

  // A name the school already has is refused, and what was typed stays.
  const add = page.locator('section.panel', { has: page.getByRole('heading', { name: '新增学院' }) });
  await add.getByLabel('学院名称').fill('计算机学院');
  await add.getByRole('button', { name: '新增学院' }).click();
  await expect(add.getByRole('alert')).toHaveText('学院 计算机学院 已存在');
  await expect(add.getByLabel('学院名称')).toHaveValue('计算机学院');
  await add.getByLabel('学院名称').fill('法学院');
  await add.getByRole('button', { name: '新增学院' }).click();
  await expect(add.getByRole('status')).toHaveText('学院已保存');
  const law = page.locator('section.panel', { has: page.getByRole('heading', { name: '法学院' }) });
  await expect(law).toContainText('毕业生 0 人');

  await law.getByLabel('管理员账号', { exact: true }).fill('jcdx_law');
  await law.getByLabel('名称', { exact: true }).fill('法学院就业办');
  await law.getByRole('button', { name: '新增学院管理员' }).click();
  const shown = law.getByRole('status').filter({ hasText: '一次性密码' });
  await expect(shown).toBeVisible();
  const oneTime = (await shown.locator('strong').textContent())!.trim();
  await expect(law.getByRole('cell', { name: 'jcdx_law' })).toBeVisible();
  await expect(law.getByText('待修改初始密码')).toBeVisible();
  await noViolations(page, '/admin/colleges with a one-time password shown');

  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
  await adminLogin(page, 'jcdx_law', oneTime);
  await expect(page).toHaveURL(/\/password$/);
  await page.getByLabel('原密码').fill(oneTime);
  await page.getByLabel('新密码', { exact: true }).fill('Faxue2027');
  await page.getByLabel('确认新密码').fill('Faxue2027');
  await page.getByRole('button', { name: '确认修改' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText('江城大学 法学院', { exact: true })).toBeVisible();

  // 学院管理 is the school's: a college admin is told 无权.
  await page.goto('/admin/colleges');
  await expect(page.getByRole('alert')).toContainText('无权进行此操作');
});
