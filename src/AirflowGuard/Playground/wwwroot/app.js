// AirflowGuard playground: three editors, one POST to /api/evaluate, results rendered as plain DOM.
// No framework, no network beyond this server. State lives in the URL fragment (#s=…, deflate-raw + base64url).
"use strict";

const $ = (id) => document.getElementById(id);
const editors = { manifests: $("manifests"), policies: $("policies"), cluster: $("cluster") };
let bundledPolicies = "";
let last = null;        // the last evaluation's answer
let timer = 0;
let sequence = 0;
const highlighted = {}; // editor → the line a finding or error pointed at

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---------- editors: line numbers, line marks, going to a line ----------

function editorBox(name) { return editors[name].parentElement; }

function lineHeight(name) { return parseFloat(getComputedStyle(editors[name]).lineHeight) || 18; }

function refreshGutter(name, errorLines = new Set()) {
  const area = editors[name];
  const box = editorBox(name);
  const count = area.value.split("\n").length;
  const gutter = box.querySelector(".gutter");
  const lines = [];
  for (let i = 1; i <= count; i++) {
    lines.push(errorLines.has(i) ? `<span class="err">${i}</span>` : i === highlighted[name] ? `<span class="at">${i}</span>` : String(i));
  }
  gutter.innerHTML = lines.join("\n") + "\n";
  syncScroll(name);
}

function syncScroll(name) {
  const area = editors[name];
  const box = editorBox(name);
  box.querySelector(".gutter").scrollTop = area.scrollTop;
  for (const mark of box.querySelectorAll(".line-mark")) positionMark(name, mark);
}

function positionMark(name, mark) {
  const area = editors[name];
  const top = 6 + (Number(mark.dataset.line) - 1) * lineHeight(name) - area.scrollTop;
  mark.style.top = `${top}px`;
  mark.style.display = top < -lineHeight(name) || top > area.clientHeight ? "none" : "block";
}

function clearMarks(name, kind) {
  if (!kind) delete highlighted[name];
  for (const mark of editorBox(name).querySelectorAll(`.line-mark${kind ? "." + kind : ":not(.error)"}`)) mark.remove();
}

function addMark(name, line, kind, note) {
  const mark = el("div", { class: `line-mark${kind ? " " + kind : ""}`, "data-line": line, "data-editor": name },
    note ? el("span", { class: "note" }, note) : null);
  editorBox(name).querySelector(".marks").append(mark);
  positionMark(name, mark);
  return mark;
}

/** Shows the editor, highlights the line, scrolls to it and puts the caret there. */
function goToLine(name, line, focusEditor = false) {
  selectTab(name, false);
  const area = editors[name];
  clearMarks(name);
  const lines = area.value.split("\n");
  const index = Math.max(1, Math.min(line, lines.length));
  let start = 0;
  for (let i = 0; i < index - 1; i++) start += lines[i].length + 1;
  area.scrollTop = Math.max(0, (index - 1) * lineHeight(name) - area.clientHeight / 3);
  if (!editorBox(name).querySelector(`.line-mark.error[data-line="${index}"]`)) addMark(name, index, ""); // an error mark says more
  highlighted[name] = index;
  refreshGutter(name, errorLinesOf(name));
  if (focusEditor) {
    area.focus({ preventScroll: true });
    area.setSelectionRange(start, start + lines[index - 1].length);
  }
  syncScroll(name);
}

// ---------- tabs (arrow keys move between them, as the ARIA tabs pattern has it) ----------

const tabs = ["manifests", "policies", "cluster"];
function selectTab(name, focus = true) {
  for (const tab of tabs) {
    const button = $(`tab-${tab}`);
    const on = tab === name;
    button.setAttribute("aria-selected", String(on));
    button.tabIndex = on ? 0 : -1;
    $(`pane-${tab}`).hidden = !on;
    if (on && focus) button.focus();
  }
  refreshGutter(name, errorLinesOf(name));
}
for (const tab of tabs) {
  $(`tab-${tab}`).addEventListener("click", () => selectTab(tab));
  $(`tab-${tab}`).addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    if (e.key === "ArrowRight") selectTab(tabs[(i + 1) % tabs.length]);
    else if (e.key === "ArrowLeft") selectTab(tabs[(i + tabs.length - 1) % tabs.length]);
    else return;
    e.preventDefault();
  });
}

function errorLinesOf(name) {
  if (!last) return new Set();
  if (name === "policies") return new Set((last.policyErrors || []).filter((e) => e.editorLine).map((e) => e.editorLine));
  return new Set((last.manifestErrors || []).filter((e) => e.editor === name).map((e) => e.line));
}

// ---------- state in the URL fragment ----------

async function pack(state) {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = "";
  for (let i = 0; i < packed.length; i += 0x8000) binary += String.fromCharCode(...packed.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function unpack(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return JSON.parse(await new Response(stream).text());
}

function currentState() {
  const policies = editors.policies.value;
  return {
    m: editors.manifests.value,
    p: policies === bundledPolicies ? null : policies, // null: the bundled pack, as shipped
    c: editors.cluster.value,
    n: $("namespace").value,
  };
}

async function saveState() {
  const fragment = "#s=" + await pack(currentState());
  history.replaceState(null, "", fragment);
  return location.href;
}

// ---------- evaluation ----------

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(evaluate, 450);
}

async function evaluate() {
  clearTimeout(timer);
  const mine = ++sequence;
  document.body.dataset.busy = "true"; // until the newest evaluation is rendered
  const body = JSON.stringify({
    manifests: editors.manifests.value,
    policies: editors.policies.value,
    cluster: editors.cluster.value,
    namespace: $("namespace").value,
  });
  setStatus("evaluating…");
  const started = performance.now();
  let answer;
  try {
    const response = await fetch("/api/evaluate", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    answer = await response.json();
    if (!response.ok) answer = { problem: answer };
  } catch (error) {
    answer = { problem: { title: "the playground server did not answer", detail: String(error) } };
  }
  const elapsed = performance.now() - started;
  if (mine !== sequence) return; // a newer evaluation is on its way
  last = answer;
  render(answer);
  document.body.dataset.evaluations = String(mine);
  delete document.body.dataset.busy;
  document.body.dataset.lastMs = elapsed.toFixed(1);
  setStatus(answer.problem ? `error: ${answer.problem.title}` : `evaluated in ${elapsed.toFixed(0)} ms (engine ${answer.elapsedMs} ms)`);
  saveState();
}

function setStatus(text) { $("status").textContent = text; }

// ---------- results ----------

function render(answer) {
  const results = $("results");
  results.replaceChildren();
  renderPolicyErrors(answer.policyErrors || []);
  renderManifestErrors(answer.manifestErrors || []);
  if (answer.problem) {
    results.append(el("p", { class: "stopped" }, `${answer.problem.title}: ${answer.problem.detail}`));
    return;
  }
  if (answer.stopped) {
    results.append(el("p", { class: "stopped", id: "stopped" }, answer.stopped, " — see the Policies tab."));
    return;
  }
  const s = answer.summary;
  results.append(el("div", { class: "summary", id: "summary" },
    el("strong", {}, `${s.checked} Airflow object(s) checked:`),
    el("span", { class: "pill deny" }, `${s.denied} denied`),
    el("span", { class: "pill warn" }, `${s.warned} warned`),
    el("span", { class: "pill repaired" }, `${s.repaired} repaired`),
    el("span", { class: "pill clean" }, `${s.clean} clean`)));
  for (const line of answer.inputErrors || []) results.append(el("p", { class: "stopped" }, line));
  if (s.checked === 0 && !(answer.manifestErrors || []).length) {
    results.append(el("p", { class: "empty" }, "No Airflow pods, pod templates or PersistentVolumes a policy is about in the manifests."));
  }
  answer.objects.forEach((obj, i) => results.append(renderObject(obj, i)));
  if (answer.mutated) {
    results.append(el("details", {}, el("summary", {}, "All manifests as the webhook would leave them (check --mutate manifests)"),
      el("pre", { class: "block" }, answer.mutated)));
  }
}

function renderObject(obj, index) {
  const card = el("article", { class: `object ${obj.verdict}`, "data-verdict": obj.verdict, "aria-labelledby": `object-${index}` });
  const editor = obj.file === "cluster.yaml" ? "cluster" : "manifests";
  card.append(el("h2", { id: `object-${index}` },
    el("span", { class: `pill ${obj.verdict}`, "data-testid": "verdict" }, obj.verdict),
    obj.object,
    obj.component ? el("span", { class: "muted" }, obj.component) : null,
    el("span", { class: "where" }, `${obj.file}:${obj.line}`)));
  if (obj.findings.length === 0) card.append(el("p", { class: "muted" }, "No findings."));
  for (const f of obj.findings) {
    card.append(el("button", {
      type: "button", class: `finding ${f.level}`, "data-line": f.line,
      "aria-label": `${f.label} ${f.policy}/${f.rule} at line ${f.line}: ${f.message}. Show the line.`,
      onclick: () => goToLine(editor, f.line, true),
    },
    el("div", {}, el("span", { class: `pill ${f.label === "DENY" ? "deny" : f.label === "WARN" ? "warn" : "repaired"}` }, f.label), " ",
      el("span", { class: "rule" }, `${f.policy}/${f.rule}`), " ", el("span", { class: "muted" }, `line ${f.line}${f.path ? " · " + f.path : ""}`)),
    el("div", {}, f.message),
    f.fix ? el("div", { class: "fix" }, f.fix) : null,
    f.assumed ? el("div", { class: "muted" }, `assumed: ${f.assumed}`) : null));
    if (f.values) card.append(valuesBlock(f.values));
  }
  if (obj.explain) {
    card.append(el("details", { class: "explain" }, el("summary", {}, "Evidence (explain): component, settings and their source, what backs each mount"),
      el("pre", { class: "block" }, obj.explain)));
  }
  if (obj.patch && obj.patch.length) {
    card.append(el("details", { class: "patch", open: true }, el("summary", {}, `JSON Patch (${obj.patch.length} operation(s)) and the patched object`),
      el("pre", { class: "block" }, JSON.stringify(obj.patch, null, 2)),
      obj.after ? diffTable(obj.before, obj.after) : null));
  }
  if (obj.admission) {
    card.append(el("details", { class: "admission" }, el("summary", {}, "AdmissionReview responses the webhook would return (CREATE)"),
      el("div", { class: "muted" }, "validating webhook"), el("pre", { class: "block" }, JSON.stringify(obj.admission.validate, null, 2)),
      el("div", { class: "muted" }, "mutating webhook"), el("pre", { class: "block" }, JSON.stringify(obj.admission.mutate, null, 2))));
  }
  return card;
}

/** A finding's fix in the chart's own values, as a diff of the values file beside the JSON Patch (airflowguard fix writes it whole). */
function valuesBlock(v) {
  const chart = `${v.chart} chart${v.version ? " " + v.version : ""}`;
  if (!v.repairs) return el("div", { class: "values muted", "data-testid": "values" }, `${chart}: no values key repairs this: ${v.reason}`);
  const lines = [
    ...(v.edits || []).map(e => `~ ${e.text}`),
    ...v.changes.map(c => c.value === null ? `- ${c.key}` : `+ ${c.key}: ${JSON.stringify(c.value)}${c.site ? "   # " + c.site : ""}`),
  ];
  return el("details", { class: "values", "data-testid": "values" }, el("summary", {}, `Values of the ${chart} that repair it`),
    el("pre", { class: "block" }, `${lines.join("\n")}\n# ${v.reason}`));
}

/** A side-by-side line diff (longest common subsequence) of the object before and after its patch. */
function diffTable(before, after) {
  const a = before.split("\n"), b = after.split("\n");
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const rows = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { rows.push([i + 1, a[i], "", j + 1, b[j], ""]); i++; j++; }
    else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) { rows.push(["", "", "", j + 1, b[j], "add"]); j++; }
    else { rows.push([i + 1, a[i], "del", "", "", ""]); i++; }
  }
  const table = el("table", { class: "diff", "aria-label": "the object before and after the patch" },
    el("colgroup", {}, el("col", { style: "width:40px" }), el("col", {}), el("col", { style: "width:40px" }), el("col", {})),
    el("thead", {}, el("tr", {}, el("th", {}, ""), el("th", {}, "as written"), el("th", {}, ""), el("th", {}, "as the webhook patches it"))));
  const tbody = el("tbody");
  for (const [ln, lt, lc, rn, rt, rc] of rows) {
    tbody.append(el("tr", {}, el("td", { class: "num" }, ln), el("td", { class: lc }, lt), el("td", { class: "num" }, rn), el("td", { class: rc }, rt)));
  }
  table.append(tbody);
  return el("div", { class: "diffwrap" }, table);
}

function renderPolicyErrors(errors) {
  const list = $("policy-errors");
  list.replaceChildren();
  clearMarks("policies", "error");
  $("policy-error-count").textContent = errors.length ? String(errors.length) : "";
  for (const e of errors) {
    list.append(el("li", {}, el("button", { type: "button", class: "policy-error", "data-line": e.editorLine || "",
      onclick: () => e.editorLine && goToLine("policies", e.editorLine, true) }, e.text)));
    if (e.editorLine) addMark("policies", e.editorLine, "error", `${e.line}:${e.column} ${e.message}`);
  }
  refreshGutter("policies", errorLinesOf("policies"));
}

function renderManifestErrors(errors) {
  const list = $("manifest-errors");
  list.replaceChildren();
  clearMarks("manifests", "error");
  clearMarks("cluster", "error");
  for (const e of errors) {
    list.append(el("li", {}, el("button", { type: "button", class: "manifest-error", onclick: () => goToLine(e.editor, e.line, true) }, e.text)));
    addMark(e.editor, e.line, "error", e.message);
  }
  refreshGutter("manifests", errorLinesOf("manifests"));
  refreshGutter("cluster", errorLinesOf("cluster"));
}

// ---------- downloads ----------

function download(name, value) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: "application/json" }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---------- start ----------

async function loadSample(id) {
  const samples = JSON.parse($("sample").dataset.index || "[]");
  const sample = samples.find((s) => s.id === id);
  if (!sample) return;
  document.body.dataset.busy = "true";
  const text = (path) => fetch(`/api/sample?id=${encodeURIComponent(path)}`).then((r) => r.text());
  editors.manifests.value = await text(sample.id);
  editors.cluster.value = sample.cluster ? await text(sample.cluster) : "";
  for (const name of tabs) { clearMarks(name); refreshGutter(name); }
  selectTab("manifests", false);
  await evaluate();
}

async function start() {
  const [samples, policies] = await Promise.all([
    fetch("/api/samples").then((r) => r.json()),
    fetch("/api/policies").then((r) => r.text()),
  ]);
  bundledPolicies = policies;
  const select = $("sample");
  select.dataset.index = JSON.stringify(samples);
  const groups = new Map();
  for (const s of samples) {
    if (!groups.has(s.group)) groups.set(s.group, el("optgroup", { label: s.group }));
    groups.get(s.group).append(el("option", { value: s.id }, s.title));
  }
  select.append(...groups.values());
  select.addEventListener("change", () => loadSample(select.value));

  editors.policies.value = policies;
  const match = location.hash.match(/^#s=(.+)$/);
  if (match) {
    try {
      const state = await unpack(match[1]);
      editors.manifests.value = state.m || "";
      editors.policies.value = state.p ?? policies;
      editors.cluster.value = state.c || "";
      $("namespace").value = state.n || "default";
    } catch (error) {
      setStatus(`the link's state could not be read: ${error}`);
    }
  }
  for (const name of tabs) {
    const area = editors[name];
    area.addEventListener("input", () => { clearMarks(name); refreshGutter(name, errorLinesOf(name)); schedule(); });
    area.addEventListener("scroll", () => syncScroll(name));
    area.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); evaluate(); }
      // Tab inserts two spaces; Escape then Tab leaves the editor (keyboard users are never trapped)
      if (e.key === "Escape") { area.dataset.escaped = "1"; return; }
      if (e.key === "Tab" && !e.shiftKey && !area.dataset.escaped) {
        e.preventDefault();
        area.setRangeText("  ", area.selectionStart, area.selectionEnd, "end");
        area.dispatchEvent(new Event("input"));
      }
      delete area.dataset.escaped;
    });
    refreshGutter(name);
  }
  $("namespace").addEventListener("input", schedule);
  $("evaluate").addEventListener("click", evaluate);
  $("reset-policies").addEventListener("click", () => { editors.policies.value = bundledPolicies; refreshGutter("policies"); evaluate(); });
  $("share").addEventListener("click", async () => {
    const url = await saveState();
    try { await navigator.clipboard.writeText(url); setStatus("link copied"); } catch { setStatus("link in the address bar"); }
  });
  $("download-sarif").addEventListener("click", () => last?.reports && download("airflowguard.sarif", last.reports.sarif));
  $("download-json").addEventListener("click", () => last?.reports && download("airflowguard.json", last.reports.json));
  window.addEventListener("resize", () => tabs.forEach(syncScroll));
  document.body.dataset.ready = "true";
  if (editors.manifests.value.trim()) await evaluate();
}

start();
