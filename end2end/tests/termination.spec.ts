import { expect, test } from './fixtures';
import { NAMES, acceptInvitation, certifiedAgreement, confirmTerms, login, searchAndAdd, sendLetter, studentLogin } from './flow';

test('the student applies, the employer agrees, the school approves, and the student signs with another employer', async ({ page }) => {
  const i = 11;
  await certifiedAgreement(page, i, 'hzsz', '测试工程师');

  await studentLogin(page, i);
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '解约办理' }).click();
  await page.getByRole('row').filter({ hasText: '华中数智科技有限公司' }).getByRole('button', { name: '解约申请' }).click();
  // Without ticking the 解约须知 the dialog stays open, says why, and keeps the typed reason.
  const apply = page.getByRole('dialog', { name: '解约申请' });
  await apply.locator('textarea[name="reason"]').fill('继续深造');
  await apply.getByRole('button', { name: '提交' }).click();
  await expect(apply.getByRole('alert')).toContainText('解约须知');
  await expect(apply.locator('textarea[name="reason"]')).toHaveValue('继续深造');
  await apply.getByLabel('我已阅读并同意解约须知').check();
  await apply.getByRole('button', { name: '提交' }).click();
  await expect(apply).toHaveCount(0);
  await expect(page.getByRole('status')).toContainText('解约申请已提交');
  await expect(page.getByRole('row').filter({ hasText: '华中数智科技有限公司' })).toContainText('申请中');
  await page.getByRole('button', { name: '退出' }).click();

  await login(page, '用人单位', 'hzsz');
  await expect(page.locator('.counter[data-label="解约待办"] .counter-value')).toHaveText('1');
  await page.goto('/employer/terminations');
  const request = page.getByRole('table', { name: '学生提出解约待办理列表' }).getByRole('row').filter({ hasText: NAMES[i] });
  await expect(request).toContainText('继续深造');
  await request.getByRole('link', { name: '查看解约申请' }).click();
  await page.getByRole('button', { name: '同意', exact: true }).click();
  // 同意解约 without the 解约须知: refused inside the dialog, which stays open.
  const agree = page.getByRole('dialog', { name: '同意解约' });
  await agree.getByRole('button', { name: '同意解约' }).click();
  await expect(agree.getByRole('alert')).toContainText('解约须知');
  await confirmTerms(page, '同意解约', '同意解约');
  await expect(page).toHaveURL(/\/employer\/terminations$/);
  await expect(page.getByRole('status')).toContainText('已同意解约');
  await page.getByRole('button', { name: '退出' }).click();

  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '解约管理' }).click();
  const row = page.getByRole('table', { name: '解约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] });
  await expect(row).toContainText('等待解约审核');
  await row.getByRole('link', { name: '详情' }).click();
  await expect(page.getByText('继续深造').first()).toBeVisible();
  await page.getByRole('button', { name: '解约审核通过' }).click();
  await expect(page).toHaveURL(/\/admin\/terminations$/);
  await expect(page.getByRole('status')).toContainText('解约审核通过');
  await expect(page.getByRole('table', { name: '解约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] })).toContainText('解约审核通过');
  await page.getByRole('button', { name: '退出' }).click();

  // Free again: another employer's invitation can be accepted.
  await login(page, '用人单位', 'cjxcl');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  await sendLetter(page, i, '材料工程师');
  await page.getByRole('button', { name: '退出' }).click();
  await studentLogin(page, i);
  await acceptInvitation(page, '材料工程师');
});

test('the employer applies for a student who declines, and the agreement stays in force', async ({ page }) => {
  const i = 4;
  await certifiedAgreement(page, i, 'hzsz', '前端工程师');
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await page.goto('/employer/terminations');
  await page.getByRole('tab', { name: '已签约成功学生列表' }).click();
  await page.getByRole('table', { name: '已签约成功学生列表' }).getByRole('checkbox', { name: `选择${NAMES[i]}` }).check();
  await page.getByRole('button', { name: '申请解约' }).click();
  await confirmTerms(page, '申请解约', '确认', '岗位调整');
  await expect(page.getByRole('status')).toContainText(NAMES[i]);
  await page.getByRole('button', { name: '退出' }).click();

  await studentLogin(page, i);
  await expect(page.locator('.counter[data-label="解约待办"] .counter-value')).toHaveText('1');
  await page.goto('/student/terminations');
  await page.getByRole('row').filter({ hasText: '华中数智科技有限公司' }).getByRole('link', { name: '查看解约' }).click();
  await expect(page.getByText('岗位调整').first()).toBeVisible();
  await page.getByRole('button', { name: '拒绝', exact: true }).click();
  const d = page.getByRole('dialog', { name: '拒绝解约' });
  await d.locator('textarea[name="reason"]').fill('不同意解约');
  await d.getByRole('button', { name: '确定' }).click();
  await expect(page).toHaveURL(/\/student\/terminations$/);
  await expect(page.getByRole('status')).toContainText('已拒绝解约申请');
  const row = page.getByRole('row').filter({ hasText: '华中数智科技有限公司' });
  await expect(row).toContainText('已拒绝');
  await expect(row).toContainText('签约审核通过');
  // Either side may apply again.
  await expect(row.getByRole('button', { name: '解约申请' })).toBeVisible();
});

test('a rejected termination review keeps the agreement, and a school admin can take back a certification', async ({ page }) => {
  const i = 2;
  await certifiedAgreement(page, i, 'cjxcl', '财务专员');
  await studentLogin(page, i);
  await page.goto('/student/terminations');
  await page.getByRole('row').filter({ hasText: '长江新材料股份有限公司' }).getByRole('button', { name: '解约申请' }).click();
  await confirmTerms(page, '解约申请', '提交', '个人原因');
  await page.getByRole('button', { name: '退出' }).click();
  await login(page, '用人单位', 'cjxcl');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await page.goto('/employer/terminations');
  await page.getByRole('table', { name: '学生提出解约待办理列表' }).getByRole('row').filter({ hasText: NAMES[i] }).getByRole('link', { name: '查看解约申请' }).click();
  await page.getByRole('button', { name: '同意', exact: true }).click();
  await confirmTerms(page, '同意解约', '同意解约');
  await expect(page).toHaveURL(/\/employer\/terminations$/);
  await page.getByRole('button', { name: '退出' }).click();

  await login(page, '管理员', 'jcdx_admin');
  await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
  await page.goto('/admin/terminations');
  await page.getByRole('table', { name: '解约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] }).getByRole('link', { name: '详情' }).click();
  await page.getByRole('button', { name: '解约审核不通过' }).click();
  const d = page.getByRole('dialog', { name: '解约审核不通过' });
  await d.locator('textarea[name="reason"]').fill('材料不全');
  await d.getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('table', { name: '解约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] })).toContainText('解约审核不通过');

  // 撤回审核: the certification is taken back and the agreement waits for review again.
  await page.goto('/admin/agreements?status=certified');
  await page.getByRole('table', { name: '签约审核列表' }).getByRole('row').filter({ hasText: NAMES[i] }).getByRole('link', { name: '详情' }).click();
  await page.getByRole('button', { name: '撤回审核' }).click();
  const r = page.getByRole('dialog', { name: '撤回审核' });
  await r.locator('textarea[name="reason"]').fill('单位信息有误');
  await r.getByRole('button', { name: '确定' }).click();
  await expect(r).toHaveCount(0);
  await expect(page.getByRole('status')).toContainText('已撤回审核');
  await expect(page.getByRole('button', { name: '签约审核通过' })).toBeVisible();
  await expect(page.getByText('等待签约审核').first()).toBeVisible();
});
