// 用人单位注册 → the confirmation e-mail (read from the local SMTP sink .ci/e2e.sh starts) →
// 楚天理工学院 审核通过 → the employer invites a student of 江城大学 (SPEC rule 5: one school's
// approval reaches every school).
import { expect, test } from './fixtures';
import { login, searchAndAdd, sendLetter } from './flow';
import { PASSWORD } from './demo';
import { creditCode, mailedLink, regField, register } from './registration';

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
  await expect(regField(page, '单位名称')).toHaveValue(name);

  await regField(page, '统一社会信用代码').fill(code);
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
  await expect(page.getByRole('status').filter({ hasText: '邀约已发送' })).toContainText('张明');
});
