// 生源管理: a school admin adds a record (a refusal keeps what was typed and names the field),
// approves it, edits it (a refused edit keeps the dialog open), restricts it with a reason — then
// an employer's 签约搜索 no longer finds the student — and reads the record's 变更记录. On a
// phone the list is cards with the action on screen.
import type { Locator, Page } from '@playwright/test';
import { noViolations } from './axe';
import { expect, test } from './fixtures';
import { login } from './flow';

// A valid 身份证号 born 2005-03-03 (a woman: even 17th digit), sequence `seq`.
function idNumber(seq: number): string {
  const first17 = `42010620050303${String(seq * 2).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const c = '10X98765432';
  const sum = [...first17].reduce((s, d, k) => s + Number(d) * w[k], 0);
  return first17 + c[sum % 11];
}

const NAME = '沈清';
const ID = idNumber(7);

async function noSideScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(1);
}

async function onScreen(page: Page, target: Locator) {
  await expect(target).toBeVisible();
  const box = (await target.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  await noSideScroll(page);
}

test('a school admin adds, approves, edits and restricts a record, whose history says who did what and why', async ({ page }) => {
  await login(page, '管理员', 'jcdx_admin');
  await expect(page).toHaveURL(/\/admin$/);
  await page.locator('html[data-hydrated]').waitFor();
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '生源管理' }).click();
  await expect(page).toHaveURL(/\/admin\/roster$/);
  await expect(page.getByRole('table', { name: '生源信息列表' })).toBeVisible();
  await noViolations(page, '/admin/roster');

  // 新增 with a wrong phone: refused, the dialog stays with what was typed, the problem beside its field.
  await page.getByRole('button', { name: '新增', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '新增生源' });
  await dialog.getByLabel('学院').selectOption('计算机学院');
  await dialog.getByLabel('专业').fill('软件工程');
  await dialog.getByLabel('学历').selectOption('本科');
  await dialog.getByLabel('毕业届').fill('2026');
  await dialog.getByLabel('姓名').fill(NAME);
  await dialog.getByLabel('性别').selectOption('女');
  await dialog.getByLabel('身份证号').fill(ID);
  await dialog.getByLabel('手机号').fill('1391234');
  await dialog.getByLabel('生源地').fill('湖北省武汉市');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByText('应为11位数字')).toBeVisible();
  await expect(dialog.getByLabel('手机号')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('姓名')).toHaveValue(NAME);
  await noViolations(page, 'the 新增 dialog with a refusal');
  await dialog.getByLabel('手机号').fill('13912347777');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已新增，待生源审核' })).toBeVisible();
  await expect(dialog).toHaveCount(0);

  // Find it by 身份证号 (exact), select it, 审核通过.
  await page.getByLabel('姓名或身份证号').fill(ID);
  await page.getByRole('button', { name: '查询' }).click();
  const row = page.getByRole('table', { name: '生源信息列表' }).getByRole('row').filter({ hasText: NAME });
  await expect(row).toHaveCount(1);
  await expect(row.getByText('待审核')).toBeVisible();
  await row.getByRole('checkbox', { name: `选择${NAME}` }).check();
  await page.getByRole('button', { name: '审核通过（已选 1 条）' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已审核通过 1 条' })).toBeVisible();
  await expect(row.getByText('已审核')).toBeVisible();

  // 修改: a wrong check digit is refused inside the dialog, which keeps the new 专业.
  await row.getByRole('link', { name: `${NAME}的详情` }).click();
  await expect(page).toHaveURL(/\/admin\/roster\/\d+$/);
  await expect(page.getByRole('heading', { name: `生源信息：${NAME}` })).toBeVisible();
  await page.getByRole('button', { name: '修改', exact: true }).click();
  const edit = page.getByRole('dialog', { name: '修改生源信息' });
  await edit.getByLabel('专业').fill('人工智能');
  await edit.getByLabel('身份证号').fill(ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0'));
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(edit.getByText('校验位不正确')).toBeVisible();
  await expect(edit.getByLabel('专业')).toHaveValue('人工智能');
  await edit.getByLabel('身份证号').fill(ID);
  await edit.getByLabel('修改原因（选填）').fill('学生转专业');
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存修改' })).toBeVisible();
  await expect(edit).toHaveCount(0);

  // 限制签约: the reason is required.
  await page.getByRole('button', { name: '限制签约' }).click();
  const restrict = page.getByRole('dialog', { name: '限制签约' });
  await restrict.getByRole('button', { name: '确定' }).click();
  await expect(restrict.getByRole('alert')).toHaveText('请填写限制原因');
  await restrict.getByLabel('限制原因').fill('学费未缴清');
  await restrict.getByRole('button', { name: '确定' }).click();
  await expect(restrict).toHaveCount(0);
  await expect(page.getByText('已审核，限制签约')).toBeVisible();
  await expect(page.getByRole('button', { name: '解除限制' })).toBeVisible();

  const history = page.getByRole('table', { name: '变更记录' });
  await expect(history.getByRole('row').filter({ hasText: '新增生源信息' })).toBeVisible();
  await expect(history.getByRole('row').filter({ hasText: '生源审核通过' })).toBeVisible();
  await expect(history.getByRole('row').filter({ hasText: '专业：软件工程 → 人工智能' })).toContainText('学生转专业');
  await expect(history.getByRole('row').filter({ hasText: '限制签约' })).toContainText('学费未缴清');
  await noViolations(page, 'a record restricted, with its history');

  // The employer's 签约搜索 does not find a restricted student.
  await page.getByRole('button', { name: '退出' }).click();
  await login(page, '用人单位', 'hzsz');
  await expect(page.getByRole('heading', { name: '单位基本信息' })).toBeVisible();
  await page.goto('/employer/sign');
  await page.getByRole('tab', { name: '签约搜索' }).click();
  await page.locator('select[name="school"]').selectOption({ label: '江城大学' });
  await page.locator('select[name="year"]').selectOption('2026');
  await page.locator('input[name="name"]').fill(NAME);
  await page.locator('input[name="id_or_phone"]').fill(ID);
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page.getByText('未找到符合条件的毕业生', { exact: false })).toBeVisible();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the roster list is cards with the detail link on screen, and the form fits', async ({ page }) => {
    await login(page, '管理员', 'jcdx_admin');
    await expect(page.getByRole('heading', { name: '管理员信息' })).toBeVisible();
    await page.goto('/admin/roster');
    const row = page.getByRole('table', { name: '生源信息列表' }).getByRole('row').filter({ hasText: '张明' });
    await onScreen(page, row.getByRole('link', { name: '张明的详情' }));
    await onScreen(page, row.getByRole('checkbox', { name: '选择张明' }));
    await page.locator('html[data-hydrated]').waitFor();
    await page.getByRole('button', { name: '新增', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '新增生源' });
    await onScreen(page, dialog.getByLabel('身份证号'));
    await noViolations(page, '/admin/roster on a phone with the form open');
  });
});
