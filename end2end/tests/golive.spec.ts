// Going live on a server started WITHOUT demo data (`.ci/e2e.sh` starts it: LIVE_URL, its
// database LIVE_DB and its log LIVE_LOG): the operator's command makes the first province
// admin; 学校管理 makes a school and its admin, who must replace the one-time password. The
// steps run in order in one test: each needs what the one before made.
import { execFileSync } from 'node:child_process';
import { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const live = process.env.LIVE_URL;
test.skip(!live, 'LIVE_URL (a demo-free server) is started by .ci/e2e.sh');
test.use({ baseURL: live });

async function adminLogin(page: Page, account: string, password: string) {
  await page.goto('/?kind=admin');
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

async function setPassword(page: Page, old: string, next: string) {
  await expect(page).toHaveURL(/\/password$/);
  await page.getByLabel('原密码').fill(old);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('确认新密码').fill(next);
  await page.getByRole('button', { name: '确认修改' }).click();
}

async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
}

test('a province goes live from an empty database: operator, 学校管理, the school admin', async ({ page }) => {
  test.setTimeout(180_000);
  const bin = process.env.SERVER_BIN;
  const db = process.env.LIVE_DB;
  if (!bin || !db) throw new Error('SERVER_BIN and LIVE_DB are set by .ci/e2e.sh');

  // An empty database: nobody can log in, not even with the demo password.
  await adminLogin(page, 'province', 'Demo@2026');
  await expect(page.getByRole('alert')).toBeVisible();

  // The operator makes the first province admin, with a password read from stdin.
  const provincePassword = 'Hubei2027ops';
  execFileSync(bin, ['admin', 'create', '--role', 'province', '--login', 'hb_ops', '--name', '湖北省就业中心', '--password-stdin'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${db}?mode=rwc`, RUST_LOG: 'warn' },
    input: `${provincePassword}\n`,
    encoding: 'utf8',
  });
  await adminLogin(page, 'hb_ops', provincePassword);
  await expect(page).toHaveURL(/\/admin$/);
  await page.locator('html[data-hydrated]').waitFor();

  // 学校管理: the first school and its admin, whose one-time password is shown once.
  await page.getByRole('link', { name: '学校管理' }).click();
  await expect(page).toHaveURL(/\/admin\/schools$/);
  await page.getByLabel('院校代码').fill('10512');
  await page.getByLabel('学校名称').fill('湖北大学');
  await page.getByRole('button', { name: '新增学校', exact: true }).click();
  const school = page.locator('section.panel', { has: page.getByRole('heading', { name: '10512 湖北大学' }) });
  await expect(school).toContainText('毕业生 0 人');
  await school.getByLabel('管理员账号', { exact: true }).fill('hubu_admin');
  await school.getByLabel('名称', { exact: true }).fill('湖北大学就业指导中心');
  await school.getByRole('button', { name: '新增学校管理员' }).click();
  const shown = school.getByRole('status').filter({ hasText: '一次性密码' });
  await expect(shown).toBeVisible();
  const oneTime = (await shown.locator('strong').textContent())!.trim();
  await logout(page);

  // The school admin must choose a password before anything else.
  await adminLogin(page, 'hubu_admin', oneTime);
  await setPassword(page, oneTime, 'Hubu2027admin');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText('湖北大学', { exact: true })).toBeVisible();
});
