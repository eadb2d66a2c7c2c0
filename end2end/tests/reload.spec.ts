// Every page of every role survives a full page load (a direct link, a reload) in each state the
// flows reach: the server renders what the browser hydrates, nothing panics, axe finds no
// accessibility violation, and the page's menu still navigates inside the app afterwards (a
// failed hydration leaves links dead).
import { Page } from '@playwright/test';
import { noViolations } from './axe';
import { expect, test } from './fixtures';
import { acceptInvitation, certify, confirmTerms, login, searchAndAdd, sendLetter, studentLogin } from './flow';

// 李静, 江城大学 计算机学院: no other test signs for her.
const STUDENT = 1;
const EMPLOYER = 'hzsz';
const EMPLOYER_NAME = '华中数智科技有限公司';
const POSITION = '重载测试工程师';

// `admin` is 江城大学's school office; `province` the province's centre (学校管理 is its page).
type Role = 'student' | 'employer' | 'admin' | 'province';

const PAGES: Record<Role, { lists: string[]; details: RegExp }> = {
  student: {
    lists: ['/student', '/student/invitations', '/student/terminations'],
    details: /^\/student\/(invitations|agreement|terminations)\/\d+$/,
  },
  employer: {
    lists: ['/employer', '/employer/sign', '/employer/invitations', '/employer/accepted', '/employer/terminations', '/employer/registration', '/employer/info'],
    details: /^\/employer\/(agreements|terminations)\/\d+$|^\/employer\/letter\?ids=/,
  },
  admin: {
    lists: ['/admin', '/admin/roster', '/admin/agreements', '/admin/terminations', '/admin/employers', '/admin/review-settings'],
    details: /^\/admin\/(agreements|terminations|employers)\/\d+$/,
  },
  province: {
    lists: ['/admin', '/admin/schools', '/admin/employers', '/admin/review-settings'],
    details: /(?!)/, // 学校管理 has no detail pages
  },
};

const ACCOUNTS: Record<Exclude<Role, 'student'>, string> = { employer: EMPLOYER, admin: 'jcdx_admin', province: 'province' };

async function loginAs(page: Page, role: Role) {
  if (role === 'student') return studentLogin(page, STUDENT);
  await login(page, role === 'employer' ? '用人单位' : '管理员', ACCOUNTS[role]);
  await expect(page).toHaveURL(role === 'employer' ? /\/employer$/ : /\/admin$/);
}

async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
}

// The browser entry point marks the document once the page has hydrated.
async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

// Loads `path` by URL and by reload; the page renders without an error box, and a menu link
// then navigates inside the app (the window is not reloaded). Returns the detail links it lists.
async function survivesFullLoad(page: Page, role: Role, path: string): Promise<string[]> {
  await page.goto(path);
  await hydrated(page);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('main .loading')).toHaveCount(0);
  await expect(page.locator('.error-box'), `${path} shows an error`).toHaveCount(0);
  await noViolations(page, path);
  const links = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));

  const menu = page.getByRole('navigation', { name: '核心功能菜单' }).locator('a[href]');
  const targets = await menu.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const here = new URL(page.url()).pathname;
  const target = targets.find((t) => t !== here);
  expect(target, `${path} has a menu link elsewhere`).toBeTruthy();
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await page.getByRole('navigation', { name: '核心功能菜单' }).locator(`a[href="${target}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${target!.replace(/[?]/g, '\\?')}$`));
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere), `${path}: the menu reloaded the window`).toBe(true);
  return links.filter((l) => PAGES[role].details.test(l));
}

// 修改密码 (every role's, outside the menu): loaded by URL and by reload, it renders without an
// error box and without axe violations, and its link back to the 用户中心 navigates inside the app.
async function passwordSurvivesFullLoad(page: Page, role: Role) {
  await page.goto('/password');
  await hydrated(page);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: '修改密码' })).toBeVisible();
  await expect(page.locator('.error-box'), '/password shows an error').toHaveCount(0);
  await noViolations(page, `/password (${role})`);
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await page.getByRole('link', { name: '返回用户中心' }).click();
  await expect(page).toHaveURL(role === 'student' || role === 'employer' ? new RegExp(`/${role}$`) : /\/admin$/);
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere), '/password: the link reloaded the window').toBe(true);
}

async function everyPageOf(page: Page, role: Role) {
  await loginAs(page, role);
  const details = new Set<string>();
  for (const path of PAGES[role].lists) {
    for (const d of await survivesFullLoad(page, role, path)) details.add(d);
  }
  for (const d of [...details].slice(0, 6)) await survivesFullLoad(page, role, d);
  await passwordSurvivesFullLoad(page, role);
  await logout(page);
}

async function everyRole(page: Page) {
  for (const role of ['student', 'employer', 'admin', 'province'] as Role[]) await everyPageOf(page, role);
  for (const path of ['/', '/verify', '/register']) {
    await page.goto(path);
    await hydrated(page);
    await page.reload();
    await hydrated(page);
    await noViolations(page, path);
  }
}

test.describe.serial('every page survives a full load', () => {
  test.setTimeout(300_000);

  test('before any invitation', async ({ page }) => {
    await everyRole(page);
  });

  test('with an invitation awaiting the student', async ({ page }) => {
    await loginAs(page, 'employer');
    await searchAndAdd(page, STUDENT);
    await sendLetter(page, STUDENT, POSITION);
    await logout(page);
    await everyRole(page);
  });

  test('after the student signed, with notices', async ({ page }) => {
    await studentLogin(page, STUDENT);
    await acceptInvitation(page, POSITION);
    await logout(page);
    await everyRole(page);
  });

  test('after the school certified the agreement', async ({ page }) => {
    await loginAs(page, 'admin');
    await certify(page, STUDENT);
    await logout(page);
    await everyRole(page);
  });

  test('while a termination is requested', async ({ page }) => {
    await studentLogin(page, STUDENT);
    await page.goto('/student/terminations');
    await page.getByRole('row').filter({ hasText: EMPLOYER_NAME }).getByRole('button', { name: '解约申请' }).click();
    await confirmTerms(page, '解约申请', '提交', '继续深造');
    await expect(page.getByRole('row').filter({ hasText: EMPLOYER_NAME })).toContainText('申请中');
    await logout(page);
    await everyRole(page);
  });

  test('while the termination awaits the school', async ({ page, browser }) => {
    // The school's officer has the app open before the employer agrees …
    const officer = await (await browser.newContext()).newPage();
    await loginAs(officer, 'admin');
    const awaiting = officer.locator('.counter[data-label="等待解约审核"] .counter-value');
    await expect(awaiting).toHaveText('0');
    await officer.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '解约管理' }).click();
    await expect(officer).toHaveURL(/\/admin\/terminations$/);

    await loginAs(page, 'employer');
    await page.goto('/employer/terminations');
    await page.getByRole('table', { name: '学生提出解约待办理列表' }).getByRole('row').filter({ hasText: '李静' }).getByRole('link', { name: '查看解约申请' }).click();
    await page.getByRole('button', { name: '同意', exact: true }).click();
    await confirmTerms(page, '同意解约', '同意解约');
    await expect(page).toHaveURL(/\/employer\/terminations$/);
    await logout(page);

    // … and sees it through the menu, without reloading.
    await officer.getByRole('navigation', { name: '核心功能菜单' }).getByRole('link', { name: '用户中心' }).click();
    await expect(awaiting).toHaveText('1');
    await officer.context().close();

    await everyRole(page);
  });

  test('after the termination was certified', async ({ page }) => {
    await loginAs(page, 'admin');
    await page.goto('/admin/terminations');
    await page.getByRole('table', { name: '解约审核列表' }).getByRole('row').filter({ hasText: '李静' }).getByRole('link', { name: '详情' }).click();
    await page.getByRole('button', { name: '解约审核通过' }).click();
    await expect(page).toHaveURL(/\/admin\/terminations$/);
    await logout(page);
    await everyRole(page);
  });
});
