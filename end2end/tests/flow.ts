// Steps of the signing flow shared by the end-to-end tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, Page } from '@playwright/test';
import { PASSWORD, studentId } from './demo';

export const NAMES = [
  '张明', '李静', '王磊', '刘洋', '陈晨', '杨帆', '赵敏', '黄磊', '周婷', '吴昊', '徐丽', '孙浩',
  '胡雪', '朱强', '高峰', '林娜', '何伟', '郭佳', '马超', '罗琳', '梁爽', '宋杰', '郑薇', '谢宇',
];

export const phone = (i: number) => `1380027${1000 + i}`;

export async function login(page: Page, door: '毕业生' | '用人单位' | '管理员', account: string) {
  await page.goto('/');
  await page.getByRole('tab', { name: `${door}登录` }).click();
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

// The default SMS sender writes each message to the server log (.ci/e2e.sh passes its path).
// The codes sent to `to` so far (the SMS sender writes them to the server log).
export function smsCount(to: string, log = process.env.SERVER_LOG): number {
  if (!log) throw new Error('SERVER_LOG is not set (run through .ci/e2e.sh)');
  return readFileSync(log, 'utf8').split('\n').filter((l) => l.includes(to) && l.includes('验证码')).length;
}

// The latest code sent to `to`; with `after` (an `smsCount` taken before asking), only a code sent
// since then: the outbox sends a moment later, and another spec may have asked for one before.
export async function smsCode(to: string, log = process.env.SERVER_LOG, after = 0): Promise<string> {
  if (!log) throw new Error('SERVER_LOG is not set (run through .ci/e2e.sh)');
  for (let tries = 0; tries < 50; tries++) {
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.includes(to) && l.includes('验证码'));
    const m = lines.length > after ? lines[lines.length - 1].match(/验证码是(\d{6})/) : null;
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no verification code for ${to} in ${log}`);
}

// Runs SQL on the e2e database (only to move time forward: an invitation's deadline).
export function sql(statement: string) {
  const db = process.env.E2E_DB;
  if (!db) throw new Error('E2E_DB is not set (run through .ci/e2e.sh)');
  execFileSync('sqlite3', [db, statement]);
}

// Logs in demo student i and passes 信息验证 (first login) if asked.
export async function studentLogin(page: Page, i: number) {
  await login(page, '毕业生', studentId(i));
  await expect(page).toHaveURL(/\/student$/);
  const verify = page.getByRole('heading', { name: '信息验证' });
  const dashboard = page.getByRole('heading', { name: '学生基本信息' });
  await expect(verify.or(dashboard)).toBeVisible();
  if (await verify.isVisible()) {
    const before = smsCount(phone(i));
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expect(page.getByRole('status')).toContainText('138****');
    await page.locator('input[name="code"]').fill(await smsCode(phone(i), undefined, before));
    await page.getByRole('button', { name: '验证', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText('手机号验证通过，欢迎使用网签系统。');
  }
  await expect(dashboard).toBeVisible();
}

// The employer (logged in) searches demo student i of 江城大学 (0–11) and adds them.
export async function searchAndAdd(page: Page, i: number) {
  await page.goto('/employer/sign');
  await page.getByRole('tab', { name: '签约搜索' }).click();
  await page.locator('select[name="school"]').selectOption({ label: i < 12 ? '江城大学' : '楚天理工学院' });
  await page.locator('select[name="year"]').selectOption('2026');
  await page.locator('input[name="name"]').fill(NAMES[i]);
  await page.locator('input[name="id_or_phone"]').fill(studentId(i));
  await page.getByRole('button', { name: '搜索' }).click();
  const join = page.getByRole('button', { name: '加入' });
  const already = page.getByText('已加入');
  await expect(join.or(already)).toBeVisible();
  if (await join.isVisible()) {
    await join.click();
    await expect(page.getByRole('status')).toHaveText('已加入签约发送列表。');
  }
  await expect(page.getByRole('table', { name: '签约发送列表' }).getByRole('cell', { name: NAMES[i], exact: true })).toBeVisible();
}

// From the 签约发送列表: 邀约 for student i, fill the letter, 发送, 确认发送. Returns the result panel text.
export async function sendLetter(page: Page, i: number, position = '软件工程师') {
  const row = page.getByRole('table', { name: '签约发送列表' }).getByRole('row').filter({ hasText: NAMES[i] });
  await row.getByRole('link', { name: '邀约' }).click();
  await expect(page).toHaveURL(/\/employer\/letter\?ids=/);
  const input = (label: string) => page.getByLabel(label, { exact: true });
  // The receivers come pre-filled from the employer's confirmed information.
  await expect(input('档案接收单位')).not.toHaveValue('');
  await input('拟聘职位').fill(position);
  await input('岗位类别').fill('专业技术人员');
  await input('工作地点').fill('湖北省武汉市');
  await input('月薪').fill('12000');
  await input('合同期限').fill('3年');
  await input('试用期').fill('3个月');
  await page.getByRole('button', { name: '发送', exact: true }).click();
  await expect(page.getByRole('heading', { name: '确认邀请函' })).toBeVisible();
  await expect(page.getByText(position).first()).toBeVisible();
  await page.getByRole('button', { name: '确认发送' }).click();
  await expect(page.getByRole('heading', { name: '发送结果' })).toBeVisible();
}

// The student (logged in) opens the invitation with this position and signs it (同意 → 现在签约).
export async function acceptInvitation(page: Page, position: string) {
  await page.goto('/student/invitations');
  await page.getByRole('row').filter({ hasText: position }).getByRole('link', { name: '查看邀请函' }).click();
  await page.getByRole('button', { name: '同意' }).click();
  await page.getByRole('dialog', { name: '确认签约' }).getByRole('button', { name: '现在签约' }).click();
  await expect(page.getByTestId('letter-status')).toHaveText('已应约');
  await expect(page.getByRole('status')).toHaveText('签约成功，等待学校签约审核。');
}

// The school admin (logged in) certifies student i's agreement from the review queue.
export async function certify(page: Page, i: number) {
  await page.goto('/admin/agreements?status=awaiting_review');
  await page.getByRole('table', { name: '签约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] }).getByRole('link', { name: '详情' }).click();
  await page.getByRole('button', { name: '签约审核通过' }).click();
  await expect(page).toHaveURL(/\/admin\/agreements$/);
}

// A certified agreement between employer `employer` and 江城大学 student i, through the UI.
export async function certifiedAgreement(page: Page, i: number, employer: string, position: string) {
  await login(page, '用人单位', employer);
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  await sendLetter(page, i, position);
  await page.getByRole('button', { name: '退出' }).click();
  await studentLogin(page, i);
  await acceptInvitation(page, position);
  await page.getByRole('button', { name: '退出' }).click();
  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  await certify(page, i);
  await page.getByRole('button', { name: '退出' }).click();
}

// In the 解约须知 dialog: accept the terms, write the reason (if asked) and confirm.
export async function confirmTerms(page: Page, dialog: string, button: string, reason?: string) {
  const d = page.getByRole('dialog', { name: dialog });
  await d.getByLabel('我已阅读并同意解约须知').check();
  if (reason !== undefined) await d.locator('textarea[name="reason"]').fill(reason);
  await d.getByRole('button', { name: button }).click();
}
