import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PASSWORD, studentId } from './demo';
import { studentLogin } from './flow';

async function login(page: Page, door: '毕业生' | '用人单位' | '管理员', account: string, password = PASSWORD) {
  await page.goto('/');
  await page.getByRole('tab', { name: `${door}登录` }).click();
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

test('a student logs in, sees the student user center, and logs out', async ({ page }) => {
  // First login asks for 信息验证 (a code to the roster phone), then shows the user center.
  await studentLogin(page, 0);
  await expect(page.getByText('张明').first()).toBeVisible();
  await expect(page.getByText('当前就业情况')).toBeVisible();
  await expect(page.locator('.counter[data-label="已收邀约"]')).toBeVisible();
  await expect(page.locator('.counter[data-label="解约待办"]')).toBeVisible();
  for (const item of ['电子签约', '纸质签约', '其他去向', '解约办理']) {
    await expect(page.getByRole('navigation', { name: '核心功能菜单' }).getByText(item)).toBeVisible();
  }
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
  // The session is gone: the user center now asks to log in.
  await page.goto('/student');
  await expect(page.getByText('请先登录')).toBeVisible();
});

test('an employer logs in and sees its basic info with the last login and its to-do counters', async ({ page }) => {
  await login(page, '用人单位', 'hzsz');
  await expect(page).toHaveURL(/\/employer$/);
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await expect(page.getByText('华中数智科技有限公司').first()).toBeVisible();
  await expect(page.getByText('最近登录时间')).toBeVisible();
  await expect(page.getByText('127.0.0.1')).toBeVisible();
  await expect(page.locator('.counter[data-label="签约待办"] .counter-value')).toHaveText('0');
  await expect(page.locator('.counter[data-label="解约待办"] .counter-value')).toHaveText('0');
  for (const item of ['签约中心', '解约中心', '数据管理']) {
    await expect(page.getByRole('navigation', { name: '核心功能菜单' }).getByText(item)).toBeVisible();
  }
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('a school admin logs in, sees the review counters, and lists only their own school', async ({ page }) => {
  await login(page, '管理员', 'jcdx_admin');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText('江城大学').first()).toBeVisible();
  await expect(page.locator('.counter[data-label="等待签约审核"]')).toBeVisible();
  await expect(page.locator('.counter[data-label="等待解约审核"]')).toBeVisible();
  await expect(page.locator('.counter[data-label="待审核单位"] .counter-value')).toHaveText('1');
  await page.getByRole('link', { name: '生源管理' }).click();
  await expect(page).toHaveURL(/\/admin\/roster/);
  await expect(page.getByText('共 12 人')).toBeVisible();
  // IDs are masked in lists.
  await expect(page.locator('td.mono').first()).toContainText('********');
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('a college admin sees only their college and the province admin sees every school', async ({ page }) => {
  await login(page, '管理员', 'jcdx_cs');
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto('/admin/roster');
  await expect(page.getByText('共 6 人')).toBeVisible();
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);

  await login(page, '管理员', 'province');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText('全省')).toBeVisible();
  await page.goto('/admin/roster');
  await expect(page.getByText('共 24 人')).toBeVisible();
});

test('a wrong password is refused in Chinese and reveals nothing else', async ({ page }) => {
  await login(page, '管理员', 'jcdx_admin', 'wrong-password');
  await expect(page.getByRole('alert')).toHaveText('账号或密码错误');
  // Still on the login page, at the same door.
  await expect(page).toHaveURL(/\/\?kind=admin$/);
  await login(page, '管理员', 'no-such-admin', 'wrong-password');
  await expect(page.getByRole('alert')).toHaveText('账号或密码错误');
});

test('a role cannot open another role\'s user center', async ({ page }) => {
  await login(page, '用人单位', 'cjxcl');
  await expect(page).toHaveURL(/\/employer$/);
  await page.goto('/admin');
  await expect(page.getByText('无权进行此操作')).toBeVisible();
});

test('the login form works before the page\'s script has arrived, and never shows raw JSON', async ({ browser }) => {
  // A slow phone shows the server's HTML for seconds before the WASM runs: the same form then
  // posts without JavaScript.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('tab', { name: '用人单位登录' }).click();
  await expect(page).toHaveURL(/kind=employer/);
  await page.locator('input[name="login"]').fill('hzsz');
  await page.locator('input[name="password"]').fill('not-the-password');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('账号或密码错误');
  await expect(page.getByRole('tab', { name: '用人单位登录' })).toHaveAttribute('aria-selected', 'true');
  expect(await page.locator('body').innerText()).not.toContain('{"');
  await page.locator('input[name="login"]').fill('hzsz');
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/employer$/);
  await context.close();
});
