// 用人单位注册 steps shared by employer-register.spec.ts and golive.spec.ts.
import { readFileSync } from 'node:fs';
import { Page } from '@playwright/test';
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

// A field of the registration form by its label: the label's text also holds the required mark
// (" *", hidden from screen readers), so it is matched by its start, not exactly.
export function regField(page: Page, label: string) {
  return page.getByLabel(new RegExp(`^${label}\\s*\\*?$`));
}

// Fills the registration form (on /register) for `name` applying to `school`, and submits it.
export async function register(page: Page, name: string, code: string, login: string, email: string, school: string, password = PASSWORD) {
  const field = (label: string) => regField(page, label);
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

