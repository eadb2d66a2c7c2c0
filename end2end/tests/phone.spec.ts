import { expect, test } from './fixtures';
import { PASSWORD, studentId } from './demo';
import { phone, smsCode } from './flow';

test('the student user center works on a phone screen', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: '毕业生登录' }).tap();
  await page.locator('input[name="login"]').fill(studentId(3));
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).tap();
  await expect(page).toHaveURL(/\/student$/);
  await expect(page.getByRole('heading', { name: '信息验证' })).toBeVisible();
  await page.getByRole('button', { name: '获取验证码' }).tap();
  await page.locator('input[name="code"]').fill(await smsCode(phone(3)));
  await page.getByRole('button', { name: '验证', exact: true }).tap();
  await expect(page.getByRole('heading', { name: '学生基本信息' })).toBeVisible();
  // No horizontal scrolling on a 390 px screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});
