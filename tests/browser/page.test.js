// The web page of `chuan serve` in a real browser: Debian's chromium driven by playwright-core
// (no browser download). Uploads an invalid edXML file, checks the Vietnamese verdict and the
// diagnostics with their line numbers and the payload lines around them, switches to English,
// saves a screenshot. Usage: node tests/browser/page.test.js BUILD
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const root = path.resolve(__dirname, "..", "..");
const build = path.resolve(process.argv[2] || "build");
const payload = path.join(root, "standards/edxml/fixtures/invalid/edx001-missing-signer.xml");
let passed = 0, failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else { failed++; console.log("browser: FAIL " + what); }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chuan-browser-"));
  const portFile = path.join(dir, "port");
  const server = spawn(path.join(build, "chuan"), ["serve", "--listen", "127.0.0.1:0", "--port-file", portFile,
    "--access-log", path.join(dir, "access.log")], { env: { ...process.env, CHUAN_STANDARDS: path.join(root, "standards") }, stdio: "ignore" });
  let browser;
  try {
    for (let i = 0; i < 200 && !(fs.existsSync(portFile) && fs.readFileSync(portFile, "utf8").trim()); i++)
      await new Promise((r) => setTimeout(r, 50));
    const url = "http://127.0.0.1:" + fs.readFileSync(portFile, "utf8").trim() + "/";
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const context = await browser.newContext({ locale: "vi-VN", viewport: { width: 900, height: 1200 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector("#standard option[value=edxml]", { state: "attached", timeout: 10000 });
    check((await page.textContent("#validate")) === "Kiểm tra", "the page starts in Vietnamese (Accept-Language vi)");
    check(await page.getAttribute("html", "lang") === "vi", "html lang=vi");
    await page.selectOption("#standard", "edxml");
    await page.setInputFiles("#file", payload);
    await page.click("#validate");
    await page.waitForFunction(() => /Không hợp lệ/.test(document.querySelector("#verdict").textContent), null, { timeout: 15000 });
    const verdict = await page.textContent("#verdict");
    check(/Không hợp lệ — [1-9]\d* lỗi/.test(verdict), "Vietnamese verdict with the error count: " + verdict);
    const diags = await page.$$eval(".diag", (ds) => ds.map((d) => d.textContent));
    check(diags.length > 0, "diagnostics are listed");
    check(diags.some((t) => /EDX-001/.test(t) && /dòng \d+/.test(t)), "EDX-001 with its line number (dòng N): " + diags[0]);
    check(await page.$$eval("pre.ctx .hit", (h) => h.length) > 0, "the payload's offending line is shown and marked");
    await page.selectOption("#lang", "en");
    const en = await page.textContent("#verdict");
    check(/^Invalid — [1-9]\d* errors?,/.test(en), "English verdict after switching: " + en);
    check((await page.$$eval(".diag .where", (w) => w.map((x) => x.textContent))).some((t) => /^line \d+/.test(t)), "English line numbers");
    check((await page.textContent("#validate")) === "Validate", "English buttons");
    check(/^edxml — [A-Za-z]/.test(await page.textContent("#standard option[value=edxml]")), "English standard titles");
    fs.mkdirSync(path.join(build, "browser"), { recursive: true });
    const shot = path.join(build, "browser", "page.png");
    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, "screenshot saved: " + shot);
    // keyboard: the drop zone is reachable and labelled
    check(await page.getAttribute("#drop", "tabindex") === "0", "the drop zone takes the keyboard focus");
  } catch (e) {
    failed++;
    console.log("browser: FAIL " + (e && e.stack || e));
  } finally {
    if (browser) await browser.close();
    server.kill("SIGTERM");
  }
  console.log("browser: " + passed + " passed, " + failed + " failed");
  if (process.env.RESULTS) fs.writeFileSync(path.join(process.env.RESULTS, "browser"), "browser " + passed + " " + failed + "\n");
  process.exit(failed ? 1 : 0);
}
main();
