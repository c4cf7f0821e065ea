// Browser tests of `airflowguard playground`: Playwright (playwright-core) driving Debian's Chromium.
// Starts the built binary (AIRFLOWGUARD_BIN, default the Release build) on a free port.
// Screenshots and the timing go to artifacts/playground/. Run: npm ci && npm test (in tests/browser).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const binary = process.env.AIRFLOWGUARD_BIN ?? path.join(root, "src/AirflowGuard/bin/Release/net10.0/airflowguard");
const chromium = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
const artifacts = path.join(root, "artifacts/playground");
mkdirSync(artifacts, { recursive: true });

let playwright = null;
try { playwright = await import("playwright-core"); } catch { /* reported as the skip reason */ }
const skip = !chromium ? "no Chromium: none at /usr/bin/chromium (apt-get install chromium) nor at $CHROMIUM"
  : !playwright ? "playwright-core is not installed (npm ci in tests/browser)"
  : !existsSync(binary) ? `no airflowguard binary at ${binary} (dotnet build -c Release first)` : false;
if (skip) console.log(`# SKIPPED browser tests: ${skip}`);

let server, baseUrl, context, page;

/** A Chromium with a fresh profile of its own (a fresh page, as a new visitor would have). */
function launch() {
  return playwright.chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "airflowguard-chromium-")), {
    executablePath: chromium,
    headless: true,
    viewport: { width: 1280, height: 800 },
    bypassCSP: true, // Playwright's waitForFunction evaluates strings, which the page's CSP (script-src 'self') refuses
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

before(async () => {
  if (skip) return;
  server = spawn(binary, ["playground", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  baseUrl = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/on (http:\/\/[^\s]+?)\/? /);
      if (match) resolve(match[1]);
    });
    server.on("exit", (code) => reject(new Error(`the playground exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`the playground did not print its address: ${out}`)), 20000);
  });
  context = await launch();
  page = context.pages()[0] ?? await context.newPage();
  page.on("pageerror", (error) => { throw error; });
});

after(async () => {
  await context?.close();
  server?.kill("SIGTERM");
});

async function evaluated(p, count) {
  // the newest evaluation rendered: at least count of them, and none started since
  await p.waitForFunction((n) => Number(document.body.dataset.evaluations || 0) >= n && !document.body.dataset.busy, count, { timeout: 15000 });
}

const evaluations = (p) => p.evaluate(() => Number(document.body.dataset.evaluations || 0));

async function shot(name, p = page) {
  await p.screenshot({ path: path.join(artifacts, `${name}.png`) });
}

async function setEditor(p, id, value) {
  const before = await evaluations(p);
  await p.locator(`#${id}`).fill(value);
  await p.click("#evaluate");
  await evaluated(p, before + 1);
}

test("loads the page, offline: everything from the playground server", { skip }, async () => {
  const foreign = [];
  page.on("request", (request) => { if (!request.url().startsWith(baseUrl)) foreign.push(request.url()); });
  await page.goto(baseUrl + "/");
  await page.waitForFunction(() => document.body.dataset.ready === "true");
  assert.ok((await page.locator("#policies").inputValue()).includes("# file: bundled:policies/logs-not-on-object-storage.yaml"));
  assert.ok(await page.locator("#sample option").count() > 20, "the samples menu lists examples/ and the chart renders");
  assert.deepEqual(foreign, []);
  await shot("01-empty");
});

test("the OSS-logs sample is denied and a click highlights the offending line", { skip }, async () => {
  const before = await evaluations(page);
  await page.selectOption("#sample", "examples/seeds/000-oss-logs-unsafe.yaml");
  await evaluated(page, before + 1);
  const card = page.locator("article.object").first();
  assert.equal(await card.getAttribute("data-verdict"), "deny");
  assert.match(await card.textContent(), /scheduler/);
  const finding = card.locator("button.finding").first();
  assert.match(await finding.textContent(), /logs-not-on-object-storage\/no-fuse-logs/);
  assert.match(await finding.locator(".fix").textContent(), /remote logging/);
  // the finding's path spec.template.spec.containers[0].volumeMounts[0] is line 61 of the seed
  const line = Number(await finding.getAttribute("data-line"));
  const text = readFileSync(path.join(root, "examples/seeds/000-oss-logs-unsafe.yaml"), "utf8").split("\n");
  assert.match(text[line - 1], /- name: volume-pv-airflow-logs/);
  await finding.click();
  const mark = page.locator('.editor[data-editor=manifests] .line-mark:not(.error)');
  await mark.waitFor({ state: "visible" });
  assert.equal(Number(await mark.getAttribute("data-line")), line);
  const selected = await page.evaluate(() => { const a = document.getElementById("manifests"); return a.value.slice(a.selectionStart, a.selectionEnd); });
  assert.match(selected, /volume-pv-airflow-logs/);
  // the evidence and the webhook's answer are there
  assert.match(await card.locator("details.explain pre").textContent(), /object-storage-fuse/);
  assert.match(await card.locator("details.admission pre").first().textContent(), /"allowed": false/);
  await card.locator("details.explain summary").click();
  await shot("02-oss-logs-denied");
});

test("the policy in Warn mode turns the denial into a warning", { skip }, async () => {
  await page.click("#tab-policies");
  const policies = await page.locator("#policies").inputValue();
  const start = policies.indexOf("# file: bundled:policies/logs-not-on-object-storage.yaml");
  const modeAt = policies.indexOf("mode: Enforce", start);
  assert.ok(start >= 0 && modeAt > start);
  await setEditor(page, "policies", policies.slice(0, modeAt) + "mode: Warn" + policies.slice(modeAt + "mode: Enforce".length));
  assert.equal(await page.locator("article.object").first().getAttribute("data-verdict"), "warn");
  await shot("03-warn-mode");
});

test("broken policy YAML is shown inline at file:line:column", { skip }, async () => {
  const policies = await page.locator("#policies").inputValue();
  const at = policies.indexOf("mode: Warn", policies.indexOf("# file: bundled:policies/logs-not-on-object-storage.yaml"));
  const broken = policies.slice(0, at) + "mode: [Warn" + policies.slice(at + "mode: Warn".length);
  await setEditor(page, "policies", broken);
  const error = page.locator("#policy-errors button").first();
  assert.match(await error.textContent(), /^bundled:policies\/logs-not-on-object-storage\.yaml:\d+:\d+: /);
  assert.match(await page.locator("#stopped").textContent(), /nothing was checked/);
  await error.click(); // goes to the line
  const mark = page.locator(".editor[data-editor=policies] .line-mark.error").first();
  await mark.waitFor({ state: "visible" });
  const line = Number(await mark.getAttribute("data-line"));
  assert.match(broken.split("\n")[line - 1] + (broken.split("\n")[line] ?? ""), /mode: \[Warn|rules|match/);
  assert.equal(await page.locator("#policy-error-count").textContent(), String(await page.locator("#policy-errors li").count()));
  await shot("04-policy-error");
  // back to Warn mode, valid, for the shared link
  await setEditor(page, "policies", policies);
  assert.equal(await page.locator("article.object").first().getAttribute("data-verdict"), "warn");
});

test("a shared link opens the same state in a fresh page", { skip }, async () => {
  await page.waitForFunction(() => location.hash.startsWith("#s="));
  const url = page.url();
  const fresh = await launch();
  const other = fresh.pages()[0] ?? await fresh.newPage();
  await other.goto(url);
  await evaluated(other, 1);
  for (const id of ["manifests", "policies", "cluster", "namespace"]) {
    assert.equal(await other.locator(`#${id}`).inputValue(), await page.locator(`#${id}`).inputValue(), `${id} restored from the link`);
  }
  assert.equal(await other.locator("article.object").first().getAttribute("data-verdict"), "warn");
  assert.ok(url.length < 12000, `the link is ${url.length} characters`);
  await shot("05-shared-link", other);
  await fresh.close();
});

test("a mutation's JSON Patch and the patched object side by side", { skip }, async () => {
  const reset = await evaluations(page);
  await page.click("#reset-policies");
  await evaluated(page, reset + 1);
  const before = await evaluations(page);
  await page.selectOption("#sample", "policies/tests/fixtures/scheduler-dags-on-oss.yaml");
  await evaluated(page, before + 1);
  const card = page.locator("article.object").first();
  assert.equal(await card.getAttribute("data-verdict"), "repaired");
  assert.match(await card.locator("details.patch pre").first().textContent(), /"path": "\/spec\/volumes\/0\/csi\/volumeAttributes\/otherOpts"/);
  const added = card.locator("table.diff td.add");
  assert.ok(await added.count() >= 1);
  assert.match(await added.first().textContent(), /otherOpts: -o uid=50000 -o gid=0 -o umask=002 -o allow_other/);
  assert.match(await card.locator("details.admission pre").nth(1).textContent(), /"patchType": "JSONPatch"/);
  await card.locator("table.diff td.add").first().scrollIntoViewIfNeeded();
  await shot("06-patch-diff");
});

test("a finding on a chart render shows the chart's values that repair it", { skip }, async () => {
  const before = await evaluations(page);
  await page.selectOption("#sample", "tests/charts/official-1.16/k8s-stock.yaml");
  await evaluated(page, before + 1);
  const values = page.locator("article.object[data-verdict=warn] details.values").first();
  await values.locator("summary").click();
  assert.match(await values.locator("summary").textContent(), /official chart/);
  const diff = await values.locator("pre").textContent();
  assert.match(diff, /\+ config\.logging\.remote_logging: "True"/);
  assert.match(diff, /\+ config\.logging\.remote_base_log_folder: "s3:\/\/REPLACE-ME-bucket\/airflow\/logs"   # --remote-base-log-folder/);
  await values.scrollIntoViewIfNeeded();
  await shot("07-values-fix");
});

test("usable with the keyboard alone: tab order, focus, Enter on controls", { skip }, async () => {
  await page.goto(baseUrl + "/");
  await page.waitForFunction(() => document.body.dataset.ready === "true");
  const order = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
  }
  assert.deepEqual(order, ["sample", "namespace", "evaluate", "share", "download-sarif", "download-json", "tab-manifests", "manifests"]);
  // pick the sample from the keyboard
  const before = await evaluations(page);
  await page.focus("#sample");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await page.selectOption("#sample", "examples/seeds/000-oss-logs-unsafe.yaml"); // the select's own keyboard UI is the browser's
  await evaluated(page, before + 1);
  // arrows move between tabs; Escape then Tab leaves an editor; findings are buttons reached by Tab
  await page.focus("#tab-manifests");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-policies");
  assert.equal(await page.locator("#pane-policies").isVisible(), true);
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "manifests");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  let focused = "";
  for (let i = 0; i < 10 && !focused.includes("finding"); i++) {
    focused = await page.evaluate(() => document.activeElement.className);
    if (!focused.includes("finding")) await page.keyboard.press("Tab");
  }
  assert.match(focused, /finding/);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, "solid", "the focused control shows a focus ring");
  await page.keyboard.press("Enter");
  await page.locator('.editor[data-editor=manifests] .line-mark:not(.error)').waitFor({ state: "visible" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "manifests");
  await shot("07-keyboard-1280x800");
  await page.setViewportSize({ width: 1920, height: 1080 });
  await shot("08-1920x1080");
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("a ~2,600-line Helm render evaluates in the page (timed, not asserted)", { skip }, async () => {
  const render = "tests/charts/official-1.19/k8s-logs-pvc-gitsync.yaml";
  const lines = readFileSync(path.join(root, render), "utf8").split("\n").length;
  const before = await evaluations(page);
  await page.selectOption("#sample", render);
  await evaluated(page, before + 1);
  const times = [];
  for (let i = 0; i < 7; i++) {
    const n = await evaluations(page);
    await page.click("#evaluate");
    await evaluated(page, n + 1);
    times.push(Number(await page.evaluate(() => document.body.dataset.lastMs)));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const summary = await page.locator("#summary").innerText();
  const report = `${render} (${lines} lines): round trip in the page (fetch + evaluate + render), 7 runs after a warm-up: ` +
    `median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms; ${summary}`;
  console.log(`# ${report}`);
  writeFileSync(path.join(artifacts, "performance.txt"), report + "\n");
  await shot("09-helm-render");
});
