// axe finds no violation on any page in any state: every page of every role is checked after a
// full load in each state the flows reach by reload.spec.ts (lists and details: 详情, 查看邀请函,
// the termination detail, the 邀请函 form). This file covers what a page shows only after a
// click: the dialogs open, the 签约发送 search result and import tab, the 协议验证 result, and the
// first-login forms.
import { Page } from '@playwright/test';
import { noViolations } from './axe';
import { studentId } from './demo';
import { expect, test } from './fixtures';
import { NAMES, certify, login, searchAndAdd, studentLogin } from './flow';

// 张明 (江城大学): the other specs only log in as him, none signs for him.
const I = 0;
const POSITION = '无障碍测试工程师';

async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
}

test('the public pages have no accessibility violations, with and without a 协议验证 answer', async ({ page }) => {
  await page.goto('/');
  await noViolations(page, '首页');
  await page.getByRole('tab', { name: '用人单位登录' }).click();
  await page.locator('input[name="login"]').fill('hzsz');
  await page.locator('input[name="password"]').fill('wrong');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await noViolations(page, '首页 with a refused login');
  await page.goto('/verify');
  await noViolations(page, '协议验证');
  await page.locator('input[name="agreement_no"]').fill('WQ-0000');
  await page.locator('input[name="verify_code"]').fill('000000');
  await page.getByRole('button', { name: '验证', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await noViolations(page, '协议验证 refused');
});

test('pages after a click have no accessibility violations: forms, results and every kind of dialog', async ({ page }) => {
  test.setTimeout(180_000);
  // 签约发送: the search result, the import tab, then the 邀请函 form.
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, I);
  await noViolations(page, '签约发送 with a search result');
  await page.getByRole('tab', { name: '导入拟签约名单' }).click();
  await noViolations(page, '签约发送, 导入拟签约名单');
  await page.getByRole('table', { name: '签约发送列表' }).getByRole('row').filter({ hasText: NAMES[I] }).getByRole('link', { name: '邀约' }).click();
  const input = (label: string) => page.getByLabel(label, { exact: true });
  await expect(input('档案接收单位')).not.toHaveValue('');
  await noViolations(page, '邀请函 form');
  await page.getByRole('button', { name: '发送', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await noViolations(page, '邀请函 form with a refusal');
  for (const [label, value] of [['拟聘职位', POSITION], ['岗位类别', '专业技术人员'], ['工作地点', '武汉'], ['月薪', '10000'], ['合同期限', '3年']]) {
    await input(label).fill(value);
  }
  await page.getByRole('button', { name: '发送', exact: true }).click();
  await expect(page.getByRole('heading', { name: '确认邀请函' })).toBeVisible();
  await noViolations(page, '确认邀请函');
  await page.getByRole('button', { name: '确认发送' }).click();
  await expect(page.getByRole('status')).toContainText(`邀约已发送：${NAMES[I]}`);
  await noViolations(page, '发送结果');
  await logout(page);

  // The student: the letter with the 确认签约 dialog open.
  await studentLogin(page, I);
  await page.goto('/student/invitations');
  await page.getByRole('row').filter({ hasText: POSITION }).getByRole('link', { name: '查看邀请函' }).click();
  await page.getByRole('button', { name: '同意' }).click();
  const sign = page.getByRole('dialog', { name: '确认签约' });
  await expect(sign).toBeVisible();
  await noViolations(page, '确认签约 dialog');
  await sign.getByRole('button', { name: '现在签约' }).click();
  await expect(page.getByTestId('letter-status')).toHaveText('已应约');
  await logout(page);

  // The school: 签约审核不通过 open, then certified, then 撤回审核 open.
  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  await page.goto('/admin/agreements?status=awaiting_review');
  await page.getByRole('table', { name: '签约审核列表' }).getByRole('row').filter({ hasText: NAMES[I] }).getByRole('link', { name: '详情' }).click();
  await page.getByRole('button', { name: '签约审核不通过' }).click();
  const reject = page.getByRole('dialog', { name: '签约审核不通过' });
  await expect(reject).toBeVisible();
  await noViolations(page, '签约审核不通过 dialog');
  await reject.getByRole('button', { name: '取消' }).click();
  await certify(page, I);
  await page.goto('/admin/agreements');
  await page.getByRole('table', { name: '签约审核列表' }).getByRole('row').filter({ hasText: NAMES[I] }).getByRole('link', { name: '详情' }).click();
  const agreementNo = (await page.locator('.fields').first().locator('dd').first().textContent())!.trim();
  const verifyCode = (await page.getByText('验证码：').textContent())!.split('：')[1].trim();
  await page.getByRole('button', { name: '撤回审核' }).click();
  const revoke = page.getByRole('dialog', { name: '撤回审核' });
  await expect(revoke).toBeVisible();
  await noViolations(page, '撤回审核 dialog');
  await revoke.getByRole('button', { name: '取消' }).click();
  await logout(page);

  // 协议验证 with the numbers printed on the 电子协议书.
  await page.goto('/verify');
  await page.locator('input[name="agreement_no"]').fill(agreementNo);
  await page.locator('input[name="verify_code"]').fill(verifyCode);
  await page.getByRole('button', { name: '验证', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('协议真实有效');
  await noViolations(page, '协议验证 result');

  // 解约: the employer's 申请解约 dialog, the student's 解约申请 dialog (each with its 解约须知).
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await page.goto('/employer/terminations');
  await noViolations(page, '解约办理');
  await page.getByRole('tab', { name: '已签约成功学生列表' }).click();
  await noViolations(page, '已签约成功学生列表');
  await page.getByRole('table', { name: '已签约成功学生列表' }).getByRole('checkbox', { name: `选择${NAMES[I]}` }).check();
  await page.getByRole('button', { name: '申请解约' }).click();
  const apply = page.getByRole('dialog', { name: '申请解约' });
  await expect(apply).toBeVisible();
  await noViolations(page, '申请解约 dialog');
  await apply.getByRole('button', { name: '确认' }).click();
  await expect(apply.getByRole('alert')).toBeVisible();
  await noViolations(page, '申请解约 dialog with a refusal');
  await apply.getByRole('button', { name: '取消' }).click();
  await logout(page);

  await studentLogin(page, I);
  await page.goto('/student/terminations');
  await page.getByRole('row').filter({ hasText: '华中数智科技有限公司' }).getByRole('button', { name: '解约申请' }).click();
  const request = page.getByRole('dialog', { name: '解约申请' });
  await expect(request).toBeVisible();
  await noViolations(page, '解约申请 dialog');
  await request.getByRole('button', { name: '取消' }).click();
  await logout(page);
});

test('the first-login forms have no accessibility violations', async ({ page }) => {
  // 汉水文化传媒 confirms its information at first login (until it does).
  await login(page, '用人单位', 'hswh');
  await expect(page).toHaveURL(/\/employer$/);
  const confirm = page.getByRole('heading', { name: '确认签约信息' });
  const dashboard = page.getByRole('heading', { name: '单位基本信息' });
  await expect(confirm.or(dashboard)).toBeVisible();
  await noViolations(page, '确认签约信息 or 用人单位用户中心 (awaiting approval)');
  await page.goto('/employer/sign');
  await noViolations(page, '签约发送, not approved');
  await logout(page);
  // A student who has not passed 信息验证 yet (no other spec logs in as 胡雪).
  await login(page, '毕业生', studentId(12));
  await expect(page.getByRole('heading', { name: '信息验证' })).toBeVisible();
  await noViolations(page, '信息验证');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('status')).toContainText('138****');
  await noViolations(page, '信息验证, code sent');
});
