// Going live on a server started WITHOUT demo data (`.ci/e2e.sh` starts it: LIVE_URL, its
// database LIVE_DB and its log LIVE_LOG): the operator's command makes the first province
// admin; 学校管理 makes a school and its admin, who must replace the one-time password; that admin
// makes a college and its admin, fills the downloaded 生源导入 template (three bad rows, named by
// row number in the preview), imports the good rows, approves them and restricts one; students
// set their passwords with a code sent to the roster phone; a 定向 student is refused. The steps
// run in order in one test: each needs what the one before made.
import { execFileSync } from 'node:child_process';
import { Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { expect, test } from './fixtures';
import { smsCode } from './flow';
import { creditCode, mailedLink, register } from './registration';

const live = process.env.LIVE_URL;
test.skip(!live, 'LIVE_URL (a demo-free server) is started by .ci/e2e.sh');
test.use({ baseURL: live });

async function adminLogin(page: Page, account: string, password: string) {
  await page.goto('/?kind=admin');
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

async function setPassword(page: Page, old: string, next: string) {
  await expect(page).toHaveURL(/\/password$/);
  await page.getByLabel('原密码').fill(old);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('确认新密码').fill(next);
  await page.getByRole('button', { name: '确认修改' }).click();
}

// A valid 身份证号 born 2005-05-05; an odd sequence is a man's, an even one a woman's.
function idNumber(seq: number): string {
  const first17 = `42010220050505${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, k) => s + Number(d) * w[k], 0);
  return first17 + '10X98765432'[sum % 11];
}

const COLLEGE = '计算机与信息工程学院';
// [学院, 专业, 学历, 毕业届, 姓名, 性别, 身份证号, 手机号, 邮箱, 培养方式, 生源地] in template order.
const good = (name: string, seq: number, phone: string, mode = '非定向') => [
  COLLEGE, '软件工程', '本科', '2027', name, seq % 2 ? '男' : '女', idNumber(seq), phone, '', mode, '湖北省武汉市',
];
const ROWS = [
  good('周明', 11, '13700000011'), // row 2: sets a password by SMS code
  good('吴芳', 12, '13700000012'), // row 3: restricted by the school
  good('郑强', 13, '13700000013', '定向'), // row 4: may not use the system
  [...good('错号', 15, '13700000015')].map((v, k) => (k === 6 ? idNumber(15).slice(0, 17) + (idNumber(15)[17] === '1' ? '2' : '1') : v)), // row 5
  good('短号', 17, '1370000'), // row 6
  [...good('外院', 19, '13700000019')].map((v, k) => (k === 0 ? '文学院' : v)), // row 7
  good('王磊', 21, '13700000021'), // row 8
];

async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
}

test('a province goes live from an empty database: operator, 学校管理, 学院管理, 生源导入, 生源审核, 首次登录', async ({ page }) => {
  test.setTimeout(180_000);
  const bin = process.env.SERVER_BIN;
  const db = process.env.LIVE_DB;
  if (!bin || !db) throw new Error('SERVER_BIN and LIVE_DB are set by .ci/e2e.sh');

  // An empty database: nobody can log in, not even with the demo password.
  await adminLogin(page, 'province', 'Demo@2026');
  await expect(page.getByRole('alert')).toBeVisible();

  // The operator makes the first province admin, with a password read from stdin.
  const provincePassword = 'Hubei2027ops';
  execFileSync(bin, ['admin', 'create', '--role', 'province', '--login', 'hb_ops', '--name', '湖北省就业中心', '--password-stdin'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${db}?mode=rwc`, RUST_LOG: 'warn' },
    input: `${provincePassword}\n`,
    encoding: 'utf8',
  });
  await adminLogin(page, 'hb_ops', provincePassword);
  await expect(page).toHaveURL(/\/admin$/);
  await page.locator('html[data-hydrated]').waitFor();

  // 学校管理: the first school and its admin, whose one-time password is shown once.
  await page.getByRole('link', { name: '学校管理' }).click();
  await expect(page).toHaveURL(/\/admin\/schools$/);
  await page.getByLabel('院校代码').fill('10512');
  await page.getByLabel('学校名称').fill('湖北大学');
  await page.getByRole('button', { name: '新增学校', exact: true }).click();
  const school = page.locator('section.panel', { has: page.getByRole('heading', { name: '10512 湖北大学' }) });
  await expect(school).toContainText('毕业生 0 人');
  await school.getByLabel('管理员账号', { exact: true }).fill('hubu_admin');
  await school.getByLabel('名称', { exact: true }).fill('湖北大学就业指导中心');
  await school.getByRole('button', { name: '新增学校管理员' }).click();
  const shown = school.getByRole('status').filter({ hasText: '一次性密码' });
  await expect(shown).toBeVisible();
  const oneTime = (await shown.locator('strong').textContent())!.trim();
  await logout(page);

  // The school admin must choose a password before anything else.
  await adminLogin(page, 'hubu_admin', oneTime);
  await setPassword(page, oneTime, 'Hubu2027admin');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText('湖北大学', { exact: true })).toBeVisible();

  // 学院管理: the school's first college and its admin.
  await page.getByRole('link', { name: '学院管理' }).click();
  await expect(page).toHaveURL(/\/admin\/colleges$/);
  const add = page.locator('section.panel', { has: page.getByRole('heading', { name: '新增学院' }) });
  await add.getByLabel('学院名称').fill(COLLEGE);
  await add.getByRole('button', { name: '新增学院' }).click();
  await expect(add.getByRole('status')).toHaveText('学院已保存');
  const college = page.locator('section.panel', { has: page.getByRole('heading', { name: COLLEGE }) });
  await college.getByLabel('管理员账号', { exact: true }).fill('hubu_cs');
  await college.getByLabel('名称', { exact: true }).fill('计算机学院就业办');
  await college.getByRole('button', { name: '新增学院管理员' }).click();
  await expect(college.getByRole('status').filter({ hasText: '一次性密码' })).toBeVisible();

  // 生源导入: fill the downloaded template as a school's office would in Excel, and upload it.
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '生源导入' }).click();
  await expect(page).toHaveURL(/\/admin\/roster\/import$/);
  await page.locator('html[data-hydrated]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载模板' }).click()]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheet = book.getWorksheet('生源信息')!;
  expect((sheet.getRow(1).values as string[]).slice(1)).toEqual([
    '学院', '专业', '学历', '毕业届', '姓名', '性别', '身份证号', '手机号', '邮箱', '培养方式', '生源地',
  ]);
  ROWS.forEach((cells, k) => cells.forEach((v, c) => (sheet.getCell(k + 2, c + 1).value = v)));
  const filled = Buffer.from(await book.xlsx.writeBuffer());
  await page.getByLabel('选择Excel文件').setInputFiles({
    name: '湖北大学生源.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: filled,
  });
  await page.getByRole('button', { name: '上传预览' }).click();
  const bad = page.getByRole('table', { name: '有误的行' });
  await expect(bad.getByRole('row')).toHaveCount(4); // the header and three rows
  await expect(bad.getByRole('row').filter({ hasText: '错号' })).toContainText('5');
  await expect(bad.getByRole('row').filter({ hasText: '错号' })).toContainText('校验位不正确');
  await expect(bad.getByRole('row').filter({ hasText: '短号' })).toContainText('6');
  await expect(bad.getByRole('row').filter({ hasText: '短号' })).toContainText('手机号应为11位数字');
  await expect(bad.getByRole('row').filter({ hasText: '外院' })).toContainText('7');
  await expect(bad.getByRole('row').filter({ hasText: '外院' })).toContainText('文学院');
  await expect(page.getByRole('table', { name: '将导入的行' }).getByRole('row')).toHaveCount(5);
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByRole('status').filter({ hasText: '导入完成' })).toBeVisible();

  // 生源管理: approve the four new records, then restrict one with a reason.
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '生源管理' }).click();
  await expect(page).toHaveURL(/\/admin\/roster$/);
  const list = page.getByRole('table', { name: '生源信息列表' });
  for (const name of ['周明', '吴芳', '郑强', '王磊']) {
    await list.getByRole('row').filter({ hasText: name }).getByRole('checkbox', { name: `选择${name}` }).check();
  }
  await page.getByRole('button', { name: '审核通过（已选 4 条）' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已审核通过 4 条' })).toBeVisible();
  await list.getByRole('row').filter({ hasText: '吴芳' }).getByRole('link', { name: '吴芳的详情' }).click();
  await page.getByRole('button', { name: '限制签约' }).click();
  const restrict = page.getByRole('dialog', { name: '限制签约' });
  await restrict.getByLabel('限制原因').fill('档案材料未交齐');
  await restrict.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('已审核，限制签约')).toBeVisible();
  await logout(page);

  // 首次登录: the student sets a password with the code sent to the roster phone.
  const firstLogin = async (seq: number, name: string, phone: string, password: string) => {
    await page.goto('/');
    await page.getByRole('link', { name: '首次登录 / 忘记密码' }).click();
    await expect(page).toHaveURL(/\/first-login$/);
    await page.locator('html[data-hydrated]').waitFor();
    await page.getByLabel('身份证号').fill(idNumber(seq));
    await page.getByLabel('姓名').fill(name);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expect(page.getByRole('status')).toContainText('验证码已发送');
    await page.getByLabel('验证码').fill(await smsCode(phone, process.env.LIVE_LOG));
    await page.getByLabel('新密码', { exact: true }).fill(password);
    await page.getByLabel('确认新密码').fill(password);
    await page.getByRole('button', { name: '设置密码并登录' }).click();
    await expect(page).toHaveURL(/\/student$/);
    await expect(page.getByRole('heading', { name: '学生基本信息' })).toBeVisible();
  };
  await firstLogin(11, '周明', '13700000011', 'Zhouming2027');
  await expect(page.getByRole('main').getByText('周明', { exact: true })).toBeVisible();
  await logout(page);

  // The restricted student may log in, and is told why they cannot sign.
  await firstLogin(12, '吴芳', '13700000012', 'Wufang2027');
  await expect(page.getByText('学校已限制你签约', { exact: false }).first()).toBeVisible();
  await logout(page);

  // A 定向 student is refused with the reason, before any code is sent.
  await page.goto('/first-login');
  await page.locator('html[data-hydrated]').waitFor();
  await page.getByLabel('身份证号').fill(idNumber(13));
  await page.getByLabel('姓名').fill('郑强');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('alert')).toHaveText('你的培养方式为定向，不能使用网签系统');

  // 用人单位注册: an employer applies to 湖北大学, confirms its e-mail, is approved, invites 周明,
  // who accepts.
  const employerPassword = 'Guanggu2027';
  await page.goto('/?kind=employer');
  await page.getByRole('link', { name: '用人单位注册' }).click();
  await expect(page.getByRole('checkbox', { name: '湖北大学' })).toBeVisible();
  await register(page, '光谷上线科技有限公司', creditCode('91420100MA4K00001'), 'gg_live', 'hr@gg-live.example.com', '湖北大学', employerPassword);
  await expect(page).toHaveURL(/\/employer\/registration$/);
  await page.goto(await mailedLink('hr@gg-live.example.com'));
  await page.getByRole('button', { name: '确认邮箱' }).click();
  await expect(page.getByRole('status')).toContainText('注册邮箱已确认');

  await adminLogin(page, 'hubu_admin', 'Hubu2027admin');
  await page.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '用人单位审核' }).click();
  const employers = page.getByRole('table', { name: '用人单位审核列表' });
  await employers.getByRole('checkbox', { name: '选择 光谷上线科技有限公司' }).check();
  await page.getByRole('button', { name: '审核通过所选单位' }).click();
  await expect(page.getByRole('status', { name: '审核结果' })).toContainText('光谷上线科技有限公司：审核通过');
  await logout(page);

  await page.goto('/?kind=employer');
  await page.locator('input[name="login"]').fill('gg_live');
  await page.locator('input[name="password"]').fill(employerPassword);
  await page.getByRole('button', { name: '登录', exact: true }).click();
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
  await page.goto('/employer/sign');
  await page.getByRole('tab', { name: '签约搜索' }).click();
  await page.locator('select[name="school"]').selectOption({ label: '湖北大学' });
  await page.locator('select[name="year"]').selectOption('2027');
  await page.locator('input[name="name"]').fill('周明');
  await page.locator('input[name="id_or_phone"]').fill(idNumber(11));
  await page.getByRole('button', { name: '搜索' }).click();
  await page.getByRole('button', { name: '加入' }).click();
  await expect(page.getByRole('status')).toHaveText('已加入签约发送列表。');
  const row = page.getByRole('table', { name: '签约发送列表' }).getByRole('row').filter({ hasText: '周明' });
  await row.getByRole('link', { name: '邀约' }).click();
  const input = (label: string) => page.getByLabel(label, { exact: true });
  await input('拟聘职位').fill('上线工程师');
  await input('岗位类别').fill('专业技术人员');
  await input('工作地点').fill('湖北省武汉市');
  await input('月薪').fill('12000');
  await input('合同期限').fill('3年');
  await input('试用期').fill('3个月');
  await page.getByRole('button', { name: '发送', exact: true }).click();
  await page.getByRole('button', { name: '确认发送' }).click();
  await expect(page.getByRole('heading', { name: '发送结果' })).toBeVisible();
  await logout(page);

  await page.goto('/?kind=student');
  await page.locator('input[name="login"]').fill(idNumber(11));
  await page.locator('input[name="password"]').fill('Zhouming2027');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/student$/);
  await page.goto('/student/invitations');
  await page.getByRole('row').filter({ hasText: '上线工程师' }).getByRole('link', { name: '查看邀请函' }).click();
  await page.getByRole('button', { name: '同意' }).click();
  await page.getByRole('dialog', { name: '确认签约' }).getByRole('button', { name: '现在签约' }).click();
  await expect(page.getByRole('status')).toHaveText('签约成功，等待学校签约审核。');
});
