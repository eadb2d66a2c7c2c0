// The review workflow in Chromium (楚天理工学院, whose students no other spec signs): a school
// switched to 学院初审 + 学校复审 — the college approves, the agreement waits at 等待学校审核, the
// school certifies, and both levels are in the 签约过程记录; then, back at one level, 批量审核通过
// of three agreements with each row's result.
import { Page } from '@playwright/test';
import { noViolations } from './axe';
import { expect, test } from './fixtures';
import { NAMES, acceptInvitation, login, searchAndAdd, sendLetter, studentLogin } from './flow';

const EMPLOYER = 'cjxcl';

async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
}

async function admin(page: Page, account: string) {
  await login(page, '管理员', account);
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
}

// Student i of 楚天理工学院 accepts 长江新材料's invitation: an agreement 等待签约审核.
async function signed(page: Page, i: number, position: string) {
  await login(page, '用人单位', EMPLOYER);
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  await sendLetter(page, i, position);
  await logout(page);
  await studentLogin(page, i);
  await acceptInvitation(page, position);
  await logout(page);
}

// 楚天理工学院's school admin sets its 审核方式 on 审核设置.
async function setMode(page: Page, label: string) {
  await admin(page, 'ctlg_admin');
  await page.goto('/admin/review-settings');
  await page.locator('select[name="mode"]').selectOption({ label });
  await page.getByRole('button', { name: '保存审核方式' }).click();
  await expect(page.getByText('审核方式已保存')).toBeVisible();
  await expect(page.getByRole('table', { name: '审核方式' })).toContainText(label);
  await noViolations(page, '/admin/review-settings');
  await logout(page);
}

test('at a two-level school the college approves, the agreement waits for the school, and the school certifies', async ({ page }) => {
  const i = 13;
  await setMode(page, '学院初审 + 学校复审');
  await signed(page, i, '机械设计师');

  // 学院初审: the college admin's counter and notice, then 签约审核通过 from the opened row.
  await admin(page, 'ctlg_me');
  await expect(page.getByRole('link', { name: '等待签约审核 1' })).toBeVisible();
  await page.getByRole('link', { name: '等待签约审核 1' }).click();
  await expect(page).toHaveURL(/\/admin\/agreements\?status=awaiting_review$/);
  const queue = page.getByRole('table', { name: '签约审核列表' });
  await queue.getByRole('row').filter({ hasText: NAMES[i] }).dblclick();
  await expect(page).toHaveURL(/\/admin\/agreements\/\d+$/);
  await page.getByRole('button', { name: '签约审核通过' }).click();
  await expect(page).toHaveURL(/\/admin\/agreements$/);
  await expect(page.getByText('已提交：等待学校审核。')).toBeVisible();
  await expect(queue.getByRole('row').filter({ hasText: NAMES[i] })).toContainText('等待学校审核');
  await logout(page);

  // 学校复审: now in the school admin's queue, with the college's step in the record.
  await admin(page, 'ctlg_admin');
  await expect(page.getByRole('link', { name: '等待签约审核 1' })).toBeVisible();
  await page.getByRole('link', { name: '等待签约审核 1' }).click();
  await expect(page).toHaveURL(/\/admin\/agreements\?status=awaiting_school$/);
  await queue.getByRole('row').filter({ hasText: NAMES[i] }).getByRole('link', { name: '详情' }).click();
  await expect(page.getByText('学院初审通过，等待学校审核')).toBeVisible();
  await page.getByRole('button', { name: '签约审核通过' }).click();
  await expect(page).toHaveURL(/\/admin\/agreements$/);
  await expect(page.getByText('已提交：签约审核通过。')).toBeVisible();
  await expect(queue.getByRole('row').filter({ hasText: NAMES[i] })).toContainText('签约审核通过');
  await logout(page);
  await setMode(page, '学校审核');
});

test('批量审核通过 of three checked agreements shows the result of each row', async ({ page }) => {
  const rows: [number, string][] = [[19, '工艺工程师'], [20, '质量工程师'], [21, '设备工程师']];
  for (const [i, position] of rows) await signed(page, i, position);
  await admin(page, 'ctlg_admin');
  await page.goto('/admin/agreements?status=awaiting_review');
  const queue = page.getByRole('table', { name: '签约审核列表' });
  for (const [i] of rows) await queue.getByRole('checkbox', { name: `选择${NAMES[i]}` }).check();
  await noViolations(page, '/admin/agreements with rows checked');
  await page.getByRole('button', { name: '批量审核通过' }).click();
  const results = page.getByRole('list', { name: '批量审核结果' });
  for (const [i] of rows) await expect(results).toContainText(`${NAMES[i]}：签约审核通过`);
  await expect(page.getByText('批量审核：3 条成功，0 条未通过')).toBeVisible();
  // They have left 等待签约审核.
  for (const [i] of rows) await expect(queue.getByRole('row').filter({ hasText: NAMES[i] })).toHaveCount(0);
  await page.goto('/admin/agreements');
  for (const [i] of rows) await expect(queue.getByRole('row').filter({ hasText: NAMES[i] })).toContainText('签约审核通过');
});
