import { expect, test } from './fixtures';
import { NAMES, login, searchAndAdd, sendLetter, sql, studentLogin } from './flow';

test('employer invites, the student accepts, the school certifies and the employer downloads the 电子协议书', async ({ page }) => {
  const i = 7;
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  // The list masks 身份证号 and phones.
  await expect(page.getByRole('table', { name: '签约发送列表' })).toContainText('********');
  const list = page.getByRole('table', { name: '签约发送列表' });
  await list.getByRole('checkbox', { name: `选择${NAMES[i]}` }).check();
  await page.getByRole('button', { name: '发送签约邀请' }).click();
  await expect(page).toHaveURL(/\/employer\/letter\?ids=/);
  await page.goBack();
  await sendLetter(page, i, '数据分析师');
  await expect(page.getByRole('status')).toContainText(`邀约已发送：${NAMES[i]}`);
  await page.goto('/employer/invitations');
  await expect(page.getByRole('table', { name: '签约列表' }).getByRole('row').filter({ hasText: NAMES[i] })).toContainText('待应约');

  await page.getByRole('button', { name: '退出' }).click();
  await studentLogin(page, i);
  await expect(page.locator('.counter[data-label="已收邀约"] .counter-value')).toHaveText('1');
  await page.locator('.counter[data-label="已收邀约"] .counter-value').click();
  await expect(page).toHaveURL(/\/student\/invitations$/);
  await page.getByRole('row').filter({ hasText: '华中数智科技有限公司' }).getByRole('link', { name: '查看邀请函' }).click();
  await expect(page.getByText('数据分析师')).toBeVisible();
  await page.getByRole('button', { name: '同意' }).click();
  await page.getByRole('dialog', { name: '确认签约' }).getByRole('button', { name: '现在签约' }).click();
  await expect(page.getByTestId('letter-status')).toHaveText('已应约');
  await expect(page.getByRole('button', { name: '同意' })).toHaveCount(0);
  await page.goto('/student');
  await expect(page.getByText('等待签约审核（华中数智科技有限公司）')).toBeVisible();

  await page.getByRole('button', { name: '退出' }).click();
  await login(page, '管理员', 'jcdx_admin');
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '签约管理' }).click();
  const row = page.getByRole('table', { name: '签约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] });
  await expect(row).toContainText('等待签约审核');
  await row.getByRole('link', { name: '详情' }).click();
  for (const section of ['学生信息', '单位信息', '签约信息', '档案接收信息', '户口接收信息', '就业证明', '签约过程记录']) {
    await expect(page.getByRole('heading', { name: section })).toBeVisible();
  }
  await expect(page.getByRole('cell', { name: '同意签约（现在签约）' })).toBeVisible();
  await page.getByRole('button', { name: '签约审核通过' }).click();
  await expect(page).toHaveURL(/\/admin\/agreements$/);
  await expect(page.getByRole('table', { name: '签约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] })).toContainText('签约审核通过');

  await page.getByRole('button', { name: '退出' }).click();
  await login(page, '用人单位', 'hzsz');
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '已应约' }).click();
  const accepted = page.getByRole('table', { name: '已应约' }).getByRole('row').filter({ hasText: NAMES[i] });
  await expect(accepted).toContainText('签约审核通过');
  const download = page.waitForEvent('download');
  await accepted.getByRole('link', { name: '下载电子协议书' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(file!).subarray(0, 5).toString()).toBe('%PDF-');
});

test('a second invitation while one is pending is refused with the student named', async ({ page }) => {
  const i = 8;
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  await sendLetter(page, i);
  await expect(page.getByRole('status')).toContainText(NAMES[i]);
  await page.goto('/employer/sign');
  await sendLetter(page, i);
  await expect(page.getByRole('alert')).toContainText(`${NAMES[i]}：已有待应约的签约邀请，不能重复发送`);
});

test('a student rejects an invitation and the employer sees 已拒绝', async ({ page }) => {
  const i = 9;
  await login(page, '用人单位', 'cjxcl');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  await sendLetter(page, i, '市场专员');
  await page.getByRole('button', { name: '退出' }).click();
  await studentLogin(page, i);
  await page.goto('/student/invitations');
  await page.getByRole('row').filter({ hasText: '市场专员' }).getByRole('link', { name: '查看邀请函' }).click();
  await page.getByRole('button', { name: '拒绝' }).click();
  await expect(page.getByTestId('letter-status')).toHaveText('已拒绝');
  await expect(page.getByRole('status')).toHaveText('已拒绝该邀请。');
  await expect(page.getByRole('button', { name: '同意' })).toHaveCount(0);
  await page.getByRole('button', { name: '退出' }).click();
  await login(page, '用人单位', 'cjxcl');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await page.goto('/employer/invitations');
  await expect(page.getByRole('table', { name: '签约列表' }).getByRole('row').filter({ hasText: NAMES[i] })).toContainText('已拒绝');
});

test('an invitation past its 应约期限 shows 已过期 and cannot be accepted', async ({ page }) => {
  const i = 10;
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  await sendLetter(page, i, '运营专员');
  // Five days pass.
  sql("UPDATE invitations SET deadline = '2020-01-01 00:00:00+00:00' WHERE position = '运营专员'");
  await page.getByRole('button', { name: '退出' }).click();
  await studentLogin(page, i);
  await page.goto('/student/invitations');
  const row = page.getByRole('row').filter({ hasText: '运营专员' });
  await expect(row).toContainText('已过期');
  await row.getByRole('link', { name: '查看邀请函' }).click();
  await expect(page.getByTestId('letter-status')).toHaveText('已过期');
  await expect(page.getByRole('button', { name: '同意' })).toHaveCount(0);
});
