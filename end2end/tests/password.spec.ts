// 修改密码 (every role, from the header), and the first province admin the operator makes on the
// command line, who must replace the one-time password before anything else.
import { execFileSync } from 'node:child_process';
import { Page } from '@playwright/test';
import { noViolations } from './axe';
import { expect, test } from './fixtures';
import { PASSWORD } from './demo';

async function login(page: Page, account: string, password: string) {
  await page.goto('/?kind=admin');
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

async function fillPassword(page: Page, old: string, next: string, again: string) {
  await page.getByLabel('原密码').fill(old);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('确认新密码').fill(again);
  await page.getByRole('button', { name: '确认修改' }).click();
}

test('an admin changes the password from the header; a refusal keeps what was typed', async ({ page }) => {
  // 外国语学院's admin: no other test logs in with it.
  await login(page, 'ctlg_fl', PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
  await page.locator('html[data-hydrated]').waitFor();
  await page.getByRole('link', { name: '修改密码' }).click();
  await expect(page).toHaveURL(/\/password$/);
  await fillPassword(page, PASSWORD, 'Foreign2027', 'Foreign2028');
  await expect(page.getByRole('alert')).toHaveText('两次输入的新密码不一致');
  await noViolations(page, '/password with a refusal');
  await expect(page.getByLabel('新密码', { exact: true })).toHaveValue('Foreign2027');
  await page.getByLabel('确认新密码').fill('Foreign2027');
  await page.getByRole('button', { name: '确认修改' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('status')).toHaveText('密码已修改');

  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
  await login(page, 'ctlg_fl', 'Foreign2027');
  await expect(page).toHaveURL(/\/admin$/);
});

test('the first province admin made by the operator must change the one-time password first', async ({ page }) => {
  const bin = process.env.SERVER_BIN;
  const db = process.env.E2E_DB;
  if (!bin || !db) throw new Error('SERVER_BIN and E2E_DB are set by .ci/e2e.sh');
  const out = execFileSync(bin, ['admin', 'create', '--role', 'province', '--login', 'ops_e2e', '--name', '省就业中心'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${db}?mode=rwc`, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
  const oneTime = out.match(/一次性密码（只显示这一次）：(\S+)/)?.[1];
  expect(oneTime, out).toBeTruthy();

  await login(page, 'ops_e2e', oneTime!);
  await expect(page).toHaveURL(/\/password$/);
  await expect(page.getByText('请先设置自己的新密码')).toBeVisible();
  await noViolations(page, '/password, required');
  // Nothing else opens before the password is changed, not even by URL.
  await page.goto('/admin');
  await expect(page.getByRole('alert')).toContainText('请先修改密码');
  await page.getByRole('alert').getByRole('link', { name: '修改密码' }).click();
  await expect(page).toHaveURL(/\/password$/);
  await fillPassword(page, oneTime!, 'Province2027', 'Province2027');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('status')).toHaveText('密码已修改');
  await expect(page.getByText('省中心管理员').first()).toBeVisible();
});
