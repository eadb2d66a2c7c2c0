// 首次登录 / 忘记密码 at the student door: a student whose school made the account (no password
// yet) sets one with the code sent to the roster phone and is logged in, verified; a 定向
// student is refused at login with the reason.
import { expect, test } from './fixtures';
import { PASSWORD, studentId } from './demo';
import { NAMES, phone, smsCode, sql } from './flow';
import { noViolations } from './axe';

test('a student without a password sets one by SMS code and is logged in', async ({ page }) => {
  const i = 14;
  // As the roster import makes it: an account with no password yet.
  sql(`UPDATE accounts SET password_hash = '' WHERE login = '${studentId(i)}'`);

  await page.goto('/');
  await page.locator('input[name="login"]').fill(studentId(i));
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('首次登录 / 忘记密码');

  await page.getByRole('link', { name: '首次登录 / 忘记密码' }).click();
  await expect(page).toHaveURL(/\/first-login$/);
  await page.locator('html[data-hydrated]').waitFor();
  await page.getByLabel('身份证号').fill(studentId(i));
  await page.getByLabel('姓名').fill('不是本人');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('alert')).toContainText('身份证号与姓名不匹配');
  await page.getByLabel('姓名').fill(NAMES[i]);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('status')).toHaveText('验证码已发送至 138****1014，5分钟内有效');
  await noViolations(page, '/first-login with a code sent');

  await page.getByLabel('验证码').fill(await smsCode(phone(i)));
  await page.getByLabel('新密码', { exact: true }).fill('Gaofeng2027');
  await page.getByLabel('确认新密码').fill('Gaofeng2027');
  await page.getByRole('button', { name: '设置密码并登录' }).click();
  await expect(page).toHaveURL(/\/student$/);
  // The code was the 信息验证: straight to the 用户中心.
  await expect(page.getByRole('heading', { name: '学生基本信息' })).toBeVisible();
  await expect(page.getByRole('main').getByText(NAMES[i], { exact: true })).toBeVisible();

  await page.getByRole('button', { name: '退出' }).click();
  await page.locator('input[name="login"]').fill(studentId(i));
  await page.locator('input[name="password"]').fill('Gaofeng2027');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/student$/);
});

test('a 定向 student is refused at login with the reason', async ({ page }) => {
  await page.goto('/');
  await page.locator('input[name="login"]').fill(studentId(5));
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('你的培养方式为定向，不能使用网签系统');
  await expect(page).toHaveURL(/\/(\?.*)?$/);
});
