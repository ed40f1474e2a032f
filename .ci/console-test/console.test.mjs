// End-to-end test of the scamguard console in a real browser: Debian's headless Chromium,
// driven by playwright-core (which downloads no browser).
//
//   BASE_URL=http://127.0.0.1:PORT OUT_DIR=/tmp/x node console.test.mjs
//
// Drives the call simulator like a person: the FaceTime 公安局 scam preset, then the steps of
// the scam by hand (screen-share request, passcode SMS, banking app, payment), checking that
// the phone shows the block banner led by its headline, the denied screen share, the hidden
// passcode, the held payment and the official call-back number, with every indicator drawn
// (no emoji glyph, which Debian's Chromium shows as an empty box); then the call ends and the
// steps stop; then the family preset, which must show no warning; then an English call with
// its own bank and currency; then the front page (true event counts, ended calls as ended) and
// the session page (the verdict once, each event with what it changed); then the audit search
// (by caller, action and time) and the registry page; then the scam call's campaign (its
// session page's reputation and report form, the campaigns page with its chart, the campaign
// page with its exports and the decision buttons). Saves screenshots to OUT_DIR. Any
// failed check exits non-zero with a message saying which.

import { chromium } from 'playwright-core';
import path from 'node:path';

const BASE = process.env.BASE_URL;
const OUT = process.env.OUT_DIR || '.';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!BASE) {
  console.error('BASE_URL is not set');
  process.exit(2);
}

let checks = 0;
function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  checks += 1;
  console.log(`  ok  ${what}`);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Playwright gives the browser a new, empty profile directory of its own. Without the
  // background-networking flags Chromium tries to reach Google, which this network refuses.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let page;
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // Only the server under test: any request elsewhere is a bug.
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin === new URL(BASE).origin) return route.continue();
    pageErrors.push(`request off the server: ${u.href}`);
    return route.abort();
  });

  /** Submits the form of the button `testid` and waits for the page it leads to. */
  async function click(testid) {
    const button = page.locator(`[data-testid="${testid}"]`);
    await button.waitFor({ state: 'visible' });
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
    check(response && response.ok(), `${testid}: page answered ${response && response.status()}`);
  }
  const phone = () => page.locator('[data-testid="phone"]');
  const text = async (sel) => (await page.locator(sel).first().innerText()).trim();
  // Pictographs and symbols a platform without an emoji font draws as empty boxes.
  const risky = /[\u2300-\u23FF\u25A0-\u25FF\u2600-\u27BF\u2B00-\u2BFF\u{1F000}-\u{1FAFF}]/u;

  // ---------------------------------------------------------------- scam: the FaceTime 公安局 preset
  console.log('scam preset: FaceTime 公安局 from +1 213');
  const res = await page.goto(`${BASE}/simulator`);
  check(res.ok(), 'the simulator page opens');
  await click('preset-police');
  const scamUrl = page.url();
  const scamId = scamUrl.split('/').pop();
  check(/^ses_[0-9a-f]+$/.test(scamId), `the simulator keeps the session id in the URL (${scamUrl})`);
  check((await text('[data-testid="caller-label"]')).includes('未验证'), 'the caller is labelled unverified');
  check(await page.locator('[data-testid="banner"]').isVisible(), 'the call rings with a banner already');

  console.log('steps: screen-share request, passcode SMS, banking app, payment');
  await click('step-screen_share_request');
  check(
    (await text('[data-directive="deny_screen_share"]')).includes('屏幕共享已被阻止'),
    'after the screen-share request the phone says screen sharing is denied',
  );
  await page.fill('form:has([data-testid="step-otp_received"]) input[name="sender"]', '95588');
  await page.fill('form:has([data-testid="step-otp_received"]) input[name="text"]', '【工商银行】验证码：392817，请勿泄露给他人。');
  await click('step-otp_received');
  await page.fill('form:has([data-testid="step-app_foreground"]) input[name="app"]', '工商银行');
  await page.selectOption('form:has([data-testid="step-app_foreground"]) select[name="category"]', 'banking');
  await click('step-app_foreground');
  await page.fill('form:has([data-testid="step-payment"]) input[name="amount"]', '50000');
  await page.check('form:has([data-testid="step-payment"]) input[name="new_payee"]');
  await click('step-payment');

  const banner = page.locator('[data-testid="banner"]');
  check(await banner.isVisible(), 'the block banner is shown');
  check((await banner.getAttribute('data-action')) === 'block', 'the banner is a block, not a warning');
  const bannerText = await banner.innerText();
  check(bannerText.includes('已拦截') && bannerText.includes('高度疑似诈骗'), 'the banner carries the explanation in Chinese');
  const headline = await text('[data-testid="banner-headline"]');
  check(headline === '疑似冒充公安诈骗，已拦截', `the banner leads with the headline (${headline})`);
  check([...headline].length <= 24, 'the headline fits a banner (24 characters)');
  check(!/[A-Za-z]/.test(await text('[data-testid="banner-explanation"]').then((t) => t.replace(/FaceTime|iMessage|App|facetime/g, ''))),
    'no English or technical words in the Chinese explanation');
  check(await page.locator('[data-directive="deny_screen_share"]').isVisible(), 'deny screen share is shown');
  const otp = page.locator('[data-testid="otp"]');
  check((await otp.getAttribute('data-hidden')) === 'true', 'the passcode notification is hidden');
  const otpText = await otp.innerText();
  check(otpText.includes('••••••') && !otpText.includes('392817'), 'the passcode itself is not on the screen');
  check((await text('[data-directive="hide_otp"]')).includes('验证码已隐藏'), 'hide OTP is shown');
  const hold = await text('[data-directive="hold_payment"]');
  check(/付款已暂停 \d+ 分钟/.test(hold) && hold.includes('50000'), `the payment is held (${hold})`);
  const callback = page.locator('[data-testid="callback"]');
  check((await callback.innerText()).includes('110'), 'the call-back button offers the official number 110');
  check((await callback.getAttribute('href')) === 'tel:110', 'the call-back button dials 110');
  check(!(await phone().innerText()).includes('392817'), 'no passcode anywhere on the phone');
  check(!risky.test(await phone().innerText()), 'the phone shows no emoji or symbol glyph');
  check((await phone().locator('svg.icon').count()) >= 5, 'the indicators are drawn as inline SVG');
  const drawn = await phone().locator('.statusbar svg.icon').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
  check(drawn.length === 2 && drawn.every((w) => w > 4), `the signal and battery icons are drawn (${drawn.join(', ')} px wide)`);
  const analyst = await page.locator('[data-testid="analyst"]').innerText();
  check(
    analyst.includes('payment_new_payee') && analyst.includes('passcode_during_risky_call'),
    'the analyst panel lists signals and rules',
  );
  await page.screenshot({ path: path.join(OUT, 'console-simulator-scam.png'), fullPage: true });

  console.log('the call ends: no more steps');
  await click('step-call_ended');
  check((await text('[data-testid="call-state"]')) === '通话已结束', 'the phone says the call has ended');
  check((await text('[data-testid="status"]')).toLowerCase() === 'ended', 'the call is marked ended, not open');
  check((await page.locator('[data-testid="step-speech"]').count()) === 0, 'no step forms after the call ended');
  check((await page.locator('[data-testid="next-step"]').count()) === 0, 'no script steps after the call ended');
  await page.screenshot({ path: path.join(OUT, 'console-simulator-ended.png'), fullPage: true });

  // ---------------------------------------------------------------- family: Mum shares her screen
  console.log('family preset: Mum shares her screen');
  await page.goto(`${BASE}/simulator`);
  await click('preset-mum');
  const familyId = page.url().split('/').pop();
  check(familyId !== scamId && familyId.startsWith('ses_'), 'the family call is a new session');
  await click('next-step'); // the speech
  await click('next-step'); // the screen-share request
  check((await page.locator('[data-testid="banner"]').count()) === 0, 'no warning after Mum asks to see the screen');
  await click('step-screen_share_started');
  check((await page.locator('[data-testid="banner"]').count()) === 0, 'no warning while sharing with Mum');
  check((await page.locator('[data-directive]').count()) === 0, 'no directive restricts the family call');
  check((await phone().getAttribute('data-action')) === 'allow', 'the family call is allowed');
  check((await text('[data-testid="caller-name"]')).includes('妈妈'), 'the phone shows Mum by name');
  await page.screenshot({ path: path.join(OUT, 'console-simulator-family.png'), fullPage: true });

  // ---------------------------------------------------------------- an English call
  console.log('an English call uses its own bank and currency');
  await page.goto(`${BASE}/simulator`);
  await page.fill('[data-testid="compose"] input[name="display_name"]', 'Chase Fraud Dept');
  await page.fill('[data-testid="compose"] input[name="handle"]', '+1 415 555 0100');
  await page.selectOption('[data-testid="compose"] select[name="locale"]', 'en');
  await click('start');
  const currency = await page.inputValue('form:has([data-testid="step-payment"]) input[name="currency"]');
  const bank = await page.inputValue('form:has([data-testid="step-app_foreground"]) input[name="app"]');
  check(currency === 'USD' && bank === 'Chase', `the English call defaults to Chase and USD (${bank}, ${currency})`);
  await click('step-screen_share_request');
  await click('step-payment');
  const enBanner = await text('[data-testid="banner-headline"]');
  check(enBanner.length <= 80 && /scam/i.test(enBanner), `an English headline (${enBanner})`);
  check((await text('[data-testid="effects"]')).includes('$2,500'), 'the payment is written in dollars');
  await page.screenshot({ path: path.join(OUT, 'console-simulator-english.png'), fullPage: true });

  // ---------------------------------------------------------------- the front page and a session page
  console.log('front page and session page');
  await page.goto(`${BASE}/?refresh=off`);
  const scamRow = page.locator(`[data-testid="sessions"] tr[data-session="${scamId}"]`);
  check((await scamRow.count()) === 1, 'the scam call is listed among the live sessions');
  check((await scamRow.getAttribute('data-status')) === 'ended', 'the ended call is listed as ended');
  check((await scamRow.locator('[data-action="block"]').count()) === 1, 'listed as blocked');
  check((await text(`[data-testid="sessions"] tr[data-session="${scamId}"] [data-testid="events"]`)) === '6', 'the scam call shows its 6 events');
  check((await page.locator(`[data-testid="sessions"] tr[data-session="${familyId}"]`).count()) === 1, 'the family call is listed too');
  const verdictLinks = page.locator(`[data-testid="verdicts"] a[href="/sessions/${scamId}"]`);
  check((await verdictLinks.count()) >= 4, `the scam call's block verdicts are among the recent verdicts (${await verdictLinks.count()})`);
  check(
    (await page.locator(`[data-testid="verdicts"] a[href="/sessions/${familyId}"]`).count()) === 0,
    'the family call has no audit records',
  );
  await page.screenshot({ path: path.join(OUT, 'console-front.png'), fullPage: true });

  const [resp] = await Promise.all([page.waitForNavigation(), scamRow.locator(`a[href="/sessions/${scamId}"]`).click()]);
  check(resp.ok(), 'the session page opens from the front page');
  const timeline = page.locator('[data-testid="timeline"] > li');
  const types = await timeline.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
  check(
    JSON.stringify(types) ===
      JSON.stringify(['session_opened', 'call_offer', 'screen_share_request', 'otp_received', 'app_foreground', 'payment', 'call_ended']),
    `the timeline lists every event in order (${types.join(', ')})`,
  );
  check((await page.locator('.verdict').count()) === 1, 'the full verdict is shown once');
  check((await page.locator('[data-testid="timeline"] [data-testid="changes"]').count()) === types.length, 'each event says what it changed');
  const share = timeline.nth(2);
  check((await share.locator('[data-added-signal="screen_share_requested"]').count()) === 1, 'the screen-share request added its signal');
  check((await share.locator('[data-directive-code="deny_screen_share"]').count()) === 1, 'and issued deny_screen_share');
  const pay = timeline.nth(5);
  check((await pay.locator('[data-directive-code="hold_payment"]').count()) === 1, 'the payment issued hold_payment');
  check((await pay.locator('[data-directive-code="deny_screen_share"]').count()) === 0, 'and does not repeat what was issued before');
  check((await page.locator('[data-testid="verdict-now"] [data-directive-code="deny_screen_share"]').count()) === 1, 'the verdict now still denies screen sharing');
  check(!(await page.locator('body').innerText()).includes('392817'), 'the session page shows no passcode text');
  await page.screenshot({ path: path.join(OUT, 'console-session.png'), fullPage: true });

  // ---------------------------------------------------------------- audit search and registry
  console.log('audit search and registry');
  await page.goto(`${BASE}/audit`);
  check((await page.locator(`[data-testid="audit-records"] a[href="/sessions/${scamId}"]`).count()) >= 4, 'the audit page lists the scam call');
  await page.fill('[data-testid="audit-search"] input[name="handle"]', '+1 213 555 0147');
  await click('audit-submit');
  check(!page.url().includes('213'), `the handle is not put in the address (${page.url()})`);
  const byCaller = await page.locator('[data-testid="audit-records"] tr[data-action]').count();
  check(byCaller >= 4, `searching by the scam caller's handle finds its records (${byCaller})`);
  check((await page.locator(`[data-testid="audit-records"] a[href^="/sessions/"]:not([href="/sessions/${scamId}"])`).count()) === 0,
    'and no other caller\'s');
  await page.selectOption('[data-testid="audit-search"] select[name="action"]', 'warn');
  await click('audit-submit');
  check((await page.locator('[data-testid="audit-records"] tr[data-action="block"]').count()) === 0, 'the action filter leaves no block');
  await page.fill('[data-testid="audit-search"] input[name="handle"]', '');
  await page.selectOption('[data-testid="audit-search"] select[name="action"]', '');
  await page.fill('[data-testid="audit-search"] input[name="from"]', 'yesterday');
  const [bad] = await Promise.all([page.waitForNavigation(), page.locator('[data-testid="audit-submit"]').click()]);
  check(bad.status() === 422 && (await text('[data-testid="error"]')).startsWith('from:'), 'a bad time names the field');
  await page.fill('[data-testid="audit-search"] input[name="from"]', '');
  await click('audit-submit');
  await page.screenshot({ path: path.join(OUT, 'console-audit.png'), fullPage: true });

  await page.goto(`${BASE}/registry`);
  const org = page.locator('[data-org="hz-police"]');
  check((await org.getAttribute('data-status')) === 'active', 'the registry lists the enrolled organisation as active');
  check((await org.innerText()).includes('杭州市公安局') && (await org.innerText()).includes('+86 571 8728 0110'), 'with its names and handle');
  check((await org.locator('[data-kid="hz-2026"]').getAttribute('data-key-status')) === 'valid', 'and its key as valid');
  check(!risky.test(await page.locator('main').innerText()), 'the registry page shows no emoji or symbol glyph');
  await page.screenshot({ path: path.join(OUT, 'console-registry.png'), fullPage: true });

  // ---------------------------------------------------------------- campaigns and reputation
  console.log('campaigns and reputation');
  await page.goto(`${BASE}/sessions/${scamId}`);
  const campaignLink = page.locator('[data-testid="reputation"] [data-testid="campaign"] a');
  check((await campaignLink.count()) === 1, 'the blocked scam call names its campaign on its session page');
  const campaignId = (await campaignLink.innerText()).trim();
  check(/^cmp_[0-9]+$/.test(campaignId), `the campaign has an id (${campaignId})`);
  check((await page.locator('[data-testid="reputation"] [data-testid="standing"] [data-status]').getAttribute('data-status')) === 'clear',
    'the caller nobody reported stands clear');
  await page.fill('[data-testid="report"] input[name="reporter"]', '+86 138 0000 0000');
  await page.selectOption('[data-testid="report"] select[name="category"]', 'impersonation');
  await page.fill('[data-testid="report"] input[name="note"]', '自称公安局要我转账');
  const [filed] = await Promise.all([page.waitForNavigation(), page.locator('[data-testid="report"] button[type="submit"]').click()]);
  check(filed.ok(), `the report form answers ${filed.status()}`);
  check((await text('[data-testid="report-result"]')).includes('counted'),
    'a report by the person the simulated call reached counts');

  await page.goto(`${BASE}/campaigns`);
  const row = page.locator(`[data-testid="campaigns"] tr[data-campaign="${campaignId}"]`);
  check((await row.count()) === 1, 'the campaigns page lists the campaign');
  check((await row.locator('svg[data-testid="chart"] rect').count()) >= 1, 'with a chart of sessions per day drawn in SVG');
  const sizes = await page.locator('[data-testid="campaigns"] tr[data-campaign] [data-testid="sessions"]').allInnerTexts();
  const counts = sizes.map((x) => Number(x));
  check(counts.every((n, i) => i === 0 || counts[i - 1] >= n), `largest first (${counts.join(', ')})`);
  check(!risky.test(await page.locator('main').innerText()), 'the campaigns page shows no emoji or symbol glyph');
  await page.screenshot({ path: path.join(OUT, 'console-campaigns.png'), fullPage: true });

  const [opened] = await Promise.all([page.waitForNavigation(), row.locator('a').first().click()]);
  check(opened.ok(), `the campaign page answers ${opened.status()}`);
  check((await page.locator(`[data-testid="sessions-list"] a[href="/sessions/${scamId}"]`).count()) === 1, 'the campaign lists the scam call');
  check((await page.locator('[data-testid="indicators"] tr[data-kind="caller_handle"]').count()) === 1, 'and its caller handle as an indicator');
  check((await page.locator('[data-testid="reports"] tr[data-counted="true"]').count()) === 1, 'and the report, counted');
  check((await page.locator('h1 [data-status]').getAttribute('data-status')) === 'reported', 'which made the campaign reported');
  for (const [testid, type] of [['stix', 'application/stix+json'], ['csv', 'text/csv']]) {
    const href = await page.locator(`[data-testid="${testid}"]`).getAttribute('href');
    const r = await page.request.get(`${BASE}${href}`);
    check(r.ok() && r.headers()['content-type'].startsWith(type), `the ${testid} export downloads as ${type}`);
  }
  const handleRow = page.locator('[data-testid="handles"] tr[data-handle]').first();
  await handleRow.locator('input[name="reason"]').fill('通话录音已核实');
  const [decided] = await Promise.all([page.waitForNavigation(), handleRow.locator('button[value="fraud"]').click()]);
  check(decided.ok() && page.url().endsWith(`/campaigns/${campaignId}`), 'confirming the caller as fraud comes back to the campaign');
  check((await page.locator('h1 [data-status]').getAttribute('data-status')) === 'confirmed', 'which is now confirmed');
  check((await page.locator('[data-testid="handles"] [data-testid="standing"] [data-status]').first().getAttribute('data-status')) === 'fraud',
    'and its caller stands as fraud');
  await page.screenshot({ path: path.join(OUT, 'console-campaign.png'), fullPage: true });

  check(pageErrors.length === 0, `no page errors or off-server requests (${pageErrors.join('; ')})`);
  console.log(`console end-to-end: ${checks} checks passed; screenshots in ${OUT}`);
} catch (e) {
  failed = true;
  console.error(`\nFAILED: ${e && e.stack ? e.stack : e}`);
  if (page) {
    try {
      console.error(`  at ${page.url()}`);
      await page.screenshot({ path: path.join(OUT, 'console-failure.png'), fullPage: true });
      console.error(`  screenshot: ${path.join(OUT, 'console-failure.png')}`);
    } catch {
      // The page may be gone; the error above is what matters.
    }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
