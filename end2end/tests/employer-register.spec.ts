// 用人单位注册 → the confirmation e-mail (read from the local SMTP sink .ci/e2e.sh starts) →
// 楚天理工学院 审核通过 → the employer invites a student of 江城大学 (SPEC rule 5: one school's
// approval reaches every school).
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { login, searchAndAdd, sendLetter } from './flow';
import { PASSWORD } from './demo';

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

// The credit code with its GB 32100 check character (as domain::ids computes it).
export function creditCode(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, k) => s + alphabet.indexOf(c) * w[k], 0);
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}

// The confirmation link in the last e-mail to `to` (the sink writes one JSON line per message).
export async function mailedLink(to: string): Promise<string> {
  const file = process.env.MAIL_FILE;
  if (!file) throw new Error('MAIL_FILE is not set (run through .ci/e2e.sh)');
  for (let tries = 0; tries < 100; tries++) {
    const mails = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const mine = mails.filter((m) => m.to.includes(to) && String(m.body).includes('/register/confirm?token='));
    const m = mine.length ? String(mine[mine.length - 1].body).match(/https?:\/\/\S+\/register\/confirm\?token=[0-9a-f]{64}/) : null;
    if (m) return m[0];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no confirmation e-mail to ${to} in ${file}`);
}

// Fills the registration form (on /register) for `name` applying to `school`, and submits it.
export async function register(page: import('@playwright/test').Page, name: string, code: string, login: string, email: string, school: string, password = PASSWORD) {
  const field = (label: string) => page.getByLabel(label, { exact: true });
  await field('单位名称').fill(name);
  await field('统一社会信用代码').fill(code);
  await page.getByLabel('单位性质').selectOption('其他企业');
  await field('所属行业').fill('制造业');
  await field('所在地区').fill('湖北省武汉市');
  await field('单位地址').fill('武汉市东湖高新区光谷大道77号');
  await field('联系人').fill('王经理');
  await field('联系电话').fill('027-87650000');
  await field('电子邮箱').fill(email);
  await field('登录账号').fill(login);
  await field('登录密码').fill(password);
  await field('确认密码').fill(password);
  await page.getByLabel(/营业执照/).setInputFiles({ name: '营业执照.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('checkbox', { name: school }).check();
  await page.getByRole('button', { name: '提交注册' }).click();
}

test('an employer registers, confirms its e-mail, is approved by one school and invites a student of another', async ({ page }) => {
  const stamp = Date.now() % 1_000_000_000;
  const name = `光谷智造${stamp}有限公司`;
  const code = creditCode(`91420100${String(stamp).padStart(9, '0')}`);
  const account = `gg${stamp}`;
  const email = `hr${stamp}@register.example.com`;

  await page.goto('/?kind=employer');
  await page.getByRole('link', { name: '用人单位注册' }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole('checkbox', { name: '楚天理工学院' })).toBeVisible();

  // A wrong check character is shown at its field; what was typed stays.
  await register(page, name, code.slice(0, 17) + (code[17] === '0' ? '1' : '0'), account, email, '楚天理工学院');
  await expect(page.locator('#reg-credit_code-error')).toHaveText('校验位不正确');
  await expect(page.getByLabel('单位名称', { exact: true })).toHaveValue(name);

  await page.getByLabel('统一社会信用代码', { exact: true }).fill(code);
  await page.getByRole('button', { name: '提交注册' }).click();
  await expect(page).toHaveURL(/\/employer\/registration$/);
  await expect(page.getByText(`确认邮件已发送至 ${email}`)).toBeVisible();
  await expect(page.getByRole('table', { name: '各学校审核结果' }).getByRole('row').filter({ hasText: '楚天理工学院' })).toContainText('待审核');

  // The link in the e-mail (from the SMTP sink).
  await page.goto(await mailedLink(email));
  await page.getByRole('button', { name: '确认邮箱' }).click();
  await expect(page.getByRole('status')).toHaveText(`${name}的注册邮箱已确认，请等待学校审核。`);

  // 楚天理工学院's admin: the dashboard counter leads to the list; 审核通过 the checked row.
  await login(page, '管理员', 'ctlg_admin');
  await page.getByRole('link', { name: /待审核单位/ }).click();
  await expect(page).toHaveURL(/\/admin\/employers\?status=pending/);
  const list = page.getByRole('table', { name: '用人单位审核列表' });
  await list.getByRole('row').filter({ hasText: name }).getByRole('link', { name: '详情' }).click();
  await expect(page.getByRole('img', { name: `${name}的营业执照` })).toBeVisible();
  await page.goBack();
  await list.getByRole('checkbox', { name: `选择 ${name}` }).check();
  await page.getByRole('button', { name: '审核通过所选单位' }).click();
  await expect(page.getByRole('status', { name: '审核结果' })).toContainText(`${name}：审核通过`);
  await page.getByRole('button', { name: '退出' }).click();

  // The employer: first-login confirmation, then a student of 江城大学 (0), which never reviewed it.
  await page.goto('/?kind=employer');
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { name: '确认签约信息' })).toBeVisible();
  const info = (n: string) => page.locator(`input[name="info[${n}]"]`);
  await info('archive_unit').fill('武汉市人才服务中心');
  await info('archive_address').fill('武汉市江岸区解放大道1000号');
  await info('archive_postcode').fill('430010');
  await info('archive_contact').fill('李老师');
  await info('archive_phone').fill('02782800000');
  await info('hukou_address').fill('武汉市江岸区解放大道1000号');
  await info('hukou_unit').fill('武汉市人才服务中心');
  await page.getByRole('button', { name: '确认信息' }).click();
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, 0);
  await sendLetter(page, 0, '注册单位岗位');
  await expect(page.getByText('张明')).toBeVisible();
});
