// Each completed action is confirmed with a role=status line (README "Dialogs, feedback and
// layout"); the other specs check the confirmations of the actions they take on their way
// (加入, 验证, 现在签约, 拒绝, 确认信息, 发送, 同意解约 …). This one covers 撤回 and 移出签约发送列表.
import { expect, test } from './fixtures';
import { NAMES, login, searchAndAdd, sendLetter } from './flow';

test('撤回 and 移出签约发送列表 are confirmed, and the list shows the change', async ({ page }) => {
  // 吴昊 (江城大学): signing.spec.ts later invites him again from another employer.
  const i = 9;
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await searchAndAdd(page, i);
  await sendLetter(page, i, '撤回测试岗');

  await page.goto('/employer/invitations');
  const row = page.getByRole('table', { name: '签约列表' }).getByRole('row').filter({ hasText: '撤回测试岗' });
  await row.getByRole('button', { name: '撤回' }).click();
  await expect(page.getByRole('status')).toHaveText('已撤回签约邀请。');
  await expect(row.getByRole('button', { name: '撤回' })).toHaveCount(0);

  await page.goto('/employer/sign');
  const list = page.getByRole('table', { name: '签约发送列表' });
  await list.getByRole('checkbox', { name: `选择${NAMES[i]}` }).check();
  await page.getByRole('button', { name: '移出签约发送列表' }).click();
  await expect(page.getByRole('status')).toHaveText('已移出签约发送列表：1 人');
  await expect(list.getByRole('cell', { name: NAMES[i], exact: true })).toHaveCount(0);
});
