// The HTML reports of `chuan validate -r html` and `chuan test -r html` in a real browser (Debian's
// chromium through playwright-core, opened from file://: the pages are offline). Checks the visible
// text (a diagnostic code, its line, the payload line around it, the coverage table), that markup
// in a payload value stays text, that a filter hides rows and that the language switch works;
// saves screenshots in BUILD/browser/ (and in $SCREENSHOTS, e.g. docs/, when set).
// Usage: node tests/browser/report.test.js BUILD
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const root = path.resolve(__dirname, "..", "..");
const build = path.resolve(process.argv[2] || "build");
const chuan = path.join(build, "chuan");
let passed = 0, failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else { failed++; console.log("report-browser: FAIL " + what); }
}

// chuan's report on stdout (exit 1 = something invalid, still a report)
function report(args, out, env) {
  let html;
  try {
    html = execFileSync(chuan, args, { cwd: root, env: { ...process.env, LC_ALL: "C.UTF-8", ...env }, stdio: ["ignore", "pipe", "ignore"] });
  } catch (e) {
    if (e.status !== 1) throw e;
    html = e.stdout;
  }
  fs.writeFileSync(out, html);
  return "file://" + out;
}

async function visible(page, sel) {
  return page.$$eval(sel, (els) => els.filter((e) => e.offsetParent !== null).length);
}

async function shot(page, name) {
  const dirs = [path.join(build, "browser")];
  if (process.env.SCREENSHOTS) dirs.push(path.resolve(process.env.SCREENSHOTS));
  for (const d of dirs) {
    fs.mkdirSync(d, { recursive: true });
    await page.screenshot({ path: path.join(d, name) });
    check(fs.statSync(path.join(d, name)).size > 10000, "screenshot saved: " + path.join(d, name));
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chuan-report-"));
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const context = await browser.newContext({ viewport: { width: 1100, height: 1300 } });
    // no request leaves the page: it is self-contained
    const requests = [];
    context.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
    const page = await context.newPage();
    const dialogs = [];
    page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });

    // ---- validate: two invalid edXML payloads and one dvc-hoso payload
    const inputs = ["standards/edxml/fixtures/invalid/edx001-missing-signer.xml",
                    "standards/edxml/fixtures/invalid/edx003-organid.xml",
                    "standards/dvc-hoso/fixtures/invalid/" +
                      fs.readdirSync(path.join(root, "standards/dvc-hoso/fixtures/invalid")).filter((f) => f.endsWith(".json"))[0]];
    await page.goto(report(["validate", "-r", "html", ...inputs], path.join(dir, "validate.html")));
    check(await page.getAttribute("html", "lang") === "en", "the page starts in English (LANG C)");
    const summary = await page.innerText("#summary");
    check(/^3 inputs: 0 valid, 3 invalid/.test(summary), "summary counts the inputs: " + summary);
    const first = page.locator("section.item").first();
    check(/invalid/.test(await first.locator(".badge").innerText()), "first verdict: invalid");
    const d1 = first.locator("li.d").first();
    check((await d1.locator(".code").innerText()) === "EDX-001", "the diagnostic code EDX-001");
    check(/^line 5, column 7$/.test(await d1.locator(".where").innerText()), "its line: " + await d1.locator(".where").innerText());
    check(/5\s*<edXML:MessageHeader>/.test(await d1.locator("pre.ctx .hit").innerText()), "the payload line is shown and marked: " + await d1.locator("pre.ctx .hit").innerText());
    check(await d1.locator("pre.ctx .l").count() === 5, "two lines either side of it");
    check(/QCVN 102:2016/.test(await d1.locator(".src").innerText()), "the regulation cited");
    check(await page.locator("section.item[data-fmt=json]").count() === 1, "the dvc-hoso JSON payload has its section");
    // the filters are labelled form controls
    for (const id of ["lang", "f-rule", "f-sev", "f-fmt"])
      check(await page.locator("label[for=" + id + "]").count() === 1, "a label for #" + id);
    await page.focus("#f-rule");
    await page.keyboard.press("End"); // keyboard: the last rule in the list
    const lastRule = await page.inputValue("#f-rule");
    await page.selectOption("#f-rule", "EDX-003");
    check(await visible(page, "section.item") === 1, "filter by rule EDX-003: one input left");
    check(await page.locator("section.item", { hasText: "edx001-missing-signer" }).isHidden(), "the EDX-001 input is hidden");
    check(/showing 1 of 3/.test(await page.innerText("#shown")), "the count of shown inputs");
    await page.selectOption("#f-rule", "");
    await page.selectOption("#f-fmt", "json");
    check(await visible(page, "section.item") === 1, "filter by format json: one input");
    await page.selectOption("#f-fmt", "");
    check(lastRule !== "", "the rule filter is usable from the keyboard: " + lastRule);
    await page.selectOption("#f-rule", "");
    // the language switch
    await page.selectOption("#lang", "vi");
    check(await page.getAttribute("html", "lang") === "vi", "html lang=vi after the switch");
    check(/không hợp lệ/.test(await first.locator(".badge").innerText()), "Vietnamese verdict");
    check(/^dòng 5, cột 7$/.test(await d1.locator(".where").innerText()), "Vietnamese line number");
    check((await d1.locator(".code").innerText()) === "EDX-001", "the code is not translated");
    check(/^Thiếu phần tử bắt buộc/.test(await d1.locator(".msg").innerText()), "the package's Vietnamese message: " + await d1.locator(".msg").innerText());
    check(/^3 dữ liệu: 0 hợp lệ, 3 không hợp lệ/.test(await page.innerText("#summary")), "Vietnamese summary");
    check(await page.locator("#f-sev option[value=error]").innerText() === "lỗi", "Vietnamese filter options");
    await shot(page, "report-validate.png");

    // ---- markup in a payload value stays text
    await page.goto(report(["validate", "--schema", "fixtures/schematron-iso/iso.sch", "--phase", "#ALL", "-r", "html",
                            "fixtures/report-html/hostile.xml"], path.join(dir, "hostile.html")));
    await page.waitForTimeout(200);
    check(await page.locator("main img").count() === 0, "no <img> injected from the payload");
    check(await page.title() === "chuan validate", "the payload's onerror did not run: " + await page.title());
    check(dialogs.length === 0, "no dialog opened");
    const msg = await page.locator("li.d[data-rule=HS-YEAR] .msg").innerText();
    check(msg.includes("</script><img src=x onerror="), "the value is shown as text: " + msg);
    check((await page.locator("li.d[data-rule=HS-YEAR] pre.ctx .hit").innerText()).includes("<![CDATA[</script>"), "the context line as text");
    check(await page.locator("script").count() === 1, "one script: chuan's");

    // ---- test on a bundled package
    await page.goto(report(["test", "-r", "html", "standards/edxml"], path.join(dir, "test.html")));
    const ts = await page.innerText("#summary");
    check(/^1 package, \d+ fixtures: \d+ passed, 0 failed; rules covered (\d+)\/\1 \(0 uncovered\)$/.test(ts), "test summary: " + ts);
    check(!/\bvalid\b/.test(ts), "the header does not say valid");
    const badges = await page.$$eval("section.fixture .badge", (b) => b.map((x) => x.innerText));
    check(badges.length > 20 && badges.every((t) => t === "passed"), "every fixture passed (never 'valid'): " + badges.length);
    const fx = page.locator("section.fixture", { hasText: "invalid/edx001-missing-signer.xml" });
    check(/EDX-001\s+line 5, column 7/.test(await fx.locator("ul.expected").innerText()), "expected diagnostic of a fixture");
    check(/EDX-001/.test(await fx.locator("ul.diags").innerText()), "actual diagnostic of a fixture");
    const rows = page.locator("table.coverage tr.rule");
    const nrows = await rows.count();
    check(nrows > 20, "the coverage table lists the rules: " + nrows);
    const cov = page.locator("table.coverage tr.rule[data-rule=EDX-017]");
    check(/warning/.test(await cov.locator("td").nth(1).innerText()), "a Schematron rule's severity (role=warning)");
    check(/QCVN 102:2016/.test(await cov.locator("td").nth(2).innerText()), "its regulation");
    check(/invalid\//.test(await cov.locator("td").nth(3).innerText()), "the fixtures that exercise it");
    await page.selectOption("#f-rule", "EDX-003");
    check(await visible(page, "table.coverage tr.rule") === 1, "filter by rule: one coverage row left");
    check(await visible(page, "section.fixture") < badges.length, "filter by rule hides fixtures");
    await page.selectOption("#f-rule", "");
    await page.selectOption("#lang", "vi");
    check(/^1 gói chuẩn, \d+ fixture: \d+ đạt, 0 không đạt/.test(await page.innerText("#summary")), "Vietnamese test summary");
    await page.selectOption("#lang", "en");
    await shot(page, "report-test.png");

    // ---- an uncovered rule and a failing fixture are highlighted
    const pk = path.join(dir, "s");
    fs.mkdirSync(pk);
    fs.cpSync(path.join(root, "tests/standards/mini"), path.join(pk, "mini"), { recursive: true });
    fs.cpSync(path.join(root, "tests/standards/codelists"), path.join(pk, "codelists"), { recursive: true });
    const sch = path.join(pk, "mini/schema/mini.sch");
    fs.writeFileSync(sch, fs.readFileSync(sch, "utf8").replace("</rule>", '<assert test="true()" id="MINI-199" see="TEST 1:2026, art. 11">Never fires.</assert></rule>'));
    fs.appendFileSync(path.join(pk, "mini/fixtures/invalid/empty-list.xml.expected"), "MINI-X\t1:1\t\n");
    await page.goto(report(["test", "-r", "html", path.join(pk, "mini")], path.join(dir, "test-mini.html")));
    check(/1 failed; rules covered 10\/11 \(1 uncovered\)/.test(await page.innerText("#summary")), "mini: one failure, one uncovered rule");
    const un = page.locator("tr.uncovered");
    check(await un.count() === 1 && (await un.getAttribute("data-rule")) === "MINI-199", "the uncovered rule's row is marked");
    check(await un.evaluate((e) => getComputedStyle(e).backgroundColor) !== "rgba(0, 0, 0, 0)", "and highlighted");
    const bad = page.locator("section.fixture.failed");
    check(await bad.count() === 1 && /failed/.test(await bad.locator(".badge").innerText()), "the failing fixture says failed");
    check(/expected, not reported: MINI-X/.test(await bad.locator("ul.why").innerText()), "and why");
    check(requests.length === 0, "no network request: " + requests.join(" "));
  } catch (e) {
    failed++;
    console.log("report-browser: FAIL " + (e && e.stack || e));
  } finally {
    if (browser) await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log("report-browser: " + passed + " passed, " + failed + " failed");
  if (process.env.RESULTS) fs.writeFileSync(path.join(process.env.RESULTS, "report-browser"), "report-browser " + passed + " " + failed + "\n");
  process.exit(failed ? 1 : 0);
}
main();
