import { expect, test } from './fixtures';
import { PASSWORD } from './demo';

test('an employer confirms its information at first login before reaching its user center', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: '用人单位登录' }).click();
  await page.locator('input[name="login"]').fill('hswh');
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/employer$/);
  await expect(page.getByRole('heading', { name: '确认签约信息' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toHaveCount(0);

  const field = (name: string) => page.locator(`input[name="info[${name}]"]`);
  await field('archive_unit').fill('武汉市人才服务中心');
  await field('archive_address').fill('武汉市江岸区解放大道1000号');
  await field('archive_postcode').fill('430010');
  await field('archive_contact').fill('李老师');
  await field('archive_phone').fill('02782800000');
  await field('hukou_address').fill('武汉市江岸区解放大道1000号');
  await field('hukou_unit').fill('武汉市人才服务中心');

  // A wrong check character is refused with its reason.
  const code = await field('credit_code').inputValue();
  const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
  await field('credit_code').fill(wrong);
  await page.getByRole('button', { name: '确认信息' }).click();
  await expect(page.getByRole('alert')).toHaveText('统一社会信用代码校验位不正确');

  await field('credit_code').fill(code);
  await page.getByRole('button', { name: '确认信息' }).click();
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('签约信息已确认，将自动填入邀请函。');
  await expect(page.getByText('待学校审核（审核通过后方可签约）')).toBeVisible();

  // Confirmed once: the next login goes straight to the user center.
  await page.reload();
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();

  // Not approved by any school yet: 签约发送 says so up front, and what needs approval is disabled.
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '签约发送' }).click();
  await expect(page.locator('#not-approved')).toContainText('尚未通过任何学校审核');
  await expect(page.getByRole('button', { name: '搜索' })).toBeDisabled();
  await expect(page.locator('input[name="name"]')).toBeDisabled();
  await expect(page.getByRole('button', { name: '发送签约邀请' })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('tab', { name: '导入拟签约名单' }).click();
  await expect(page.getByRole('button', { name: '导入', exact: true })).toBeDisabled();
});
