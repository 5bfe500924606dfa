// speechgen editor page: the form and the YAML text of one job, its findings and its preview.
// User text only ever enters the page through textContent and input values (never innerHTML).
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const $ = (id) => document.getElementById(id);
const DEBOUNCE_MS = 40;

const state = {
  file: "", type: null, form: null, data: {}, text: "", index: 0, docs: [],
  findings: [], trace: [], tab: "form", blocked: false, formStale: false,
};

// ------------------------------------------------------------------ talking to the server

async function api(method, url, body) {
  const options = { method, headers: { "X-Token": TOKEN } };
  if (body !== undefined) {
    if (body instanceof FormData) options.body = body;
    else { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
  }
  const response = await fetch(url, options);
  const type = response.headers.get("Content-Type") || "";
  const payload = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error((payload && payload.error) || String(payload));
  return payload;
}

const queue = { patches: new Map(), text: null, timer: 0, busy: false, again: false };

function sendPatch(patch) {
  const key = JSON.stringify(patch.path);
  queue.patches.delete(key); // re-inserted last: the latest edit of a key wins, in order
  queue.patches.set(key, patch);
  schedule();
}

function sendText(text) { queue.text = text; queue.patches.clear(); schedule(); }

function schedule() {
  clearTimeout(queue.timer);
  queue.timer = setTimeout(flush, DEBOUNCE_MS);
  setStatus("正在更新…");
}

async function flush() {
  if (queue.busy) { queue.again = true; return; }
  const body = { index: state.index };
  if (queue.text !== null) body.text = queue.text;
  if (queue.patches.size) body.patches = [...queue.patches.values()];
  queue.text = null; queue.patches.clear();
  queue.busy = true;
  try {
    const result = await api("POST", "api/update", body);
    received(result, body.text !== undefined ? "yaml" : "form");
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    queue.busy = false;
    if (queue.again || queue.patches.size || queue.text !== null) { queue.again = false; flush(); }
  }
}

// ------------------------------------------------------------------ results

function received(result, origin) {
  state.text = result.text;
  state.findings = result.findings || [];
  state.docs = result.docs || [];
  state.trace = result.trace || [];
  if (typeof result.index === "number") state.index = result.index;
  if (origin !== "form") {
    if (result.data) { state.data = result.data; state.formStale = true; widened.clear(); }
  }
  if (document.activeElement !== $("yaml")) $("yaml").value = state.text;
  const kindChanged = result.type && result.type !== state.type;
  if (kindChanged) { state.type = result.type; loadForm(result.type); }
  else if (state.formStale && state.tab === "form" && origin !== "form") drawForm();
  showFindings();
  showDocs();
  if (result.html) { showPreview(result.html); $("stale").hidden = true; }
  else $("stale").hidden = false;
  setStatus(result.dirty ? "未保存（草稿已自动保留）" : "已保存");
  $("work").dataset.updated = String(Number($("work").dataset.updated || 0) + 1);
}

function setStatus(text, bad) {
  $("status").textContent = text;
  $("status").style.color = bad ? "#ffb3b3" : "";
}

// ------------------------------------------------------------------ key paths

// ["accidents", 1, "deaths"] → "accidents[2].deaths" (the findings' notation, counting from 1)
function keyOf(path) {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part + 1}]`;
    else out += (out ? "." : "") + part;
  }
  return out;
}

function parentKey(key) {
  if (key.endsWith("]")) return key.slice(0, key.lastIndexOf("["));
  const cut = key.lastIndexOf(".");
  return cut > 0 ? key.slice(0, cut) : "";
}

function getAt(path) {
  let node = state.data;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[part];
  }
  return node;
}

function setAt(path, value) {
  let node = state.data;
  path.forEach((part, i) => {
    if (i === path.length - 1) { node[part] = value; return; }
    if (node[part] === null || typeof node[part] !== "object") node[part] = typeof path[i + 1] === "number" ? [] : {};
    node = node[part];
  });
}

function deleteAt(path) {
  const parent = getAt(path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
  else if (parent && typeof parent === "object") delete parent[last];
}

// Items typed as one text ("- 任务分工表") are drawn as their mapping ({title: 任务分工表});
// the first edit inside one writes the whole mapping, so the text is kept.
const widened = new Set();

// Before rows move (added, deleted), widened items are written out whole: their indexes change.
function flushWidened() {
  for (const key of widened) sendPatch({ path: JSON.parse(key), value: getAt(JSON.parse(key)) });
  widened.clear();
}

function edit(path, value, kind) {
  if (value === undefined) deleteAt(path);
  else setAt(path, value);
  for (let n = path.length - 1; n > 0; n--) {
    const key = JSON.stringify(path.slice(0, n));
    if (widened.has(key)) {
      widened.delete(key);
      sendPatch({ path: path.slice(0, n), value: getAt(path.slice(0, n)) });
      return;
    }
  }
  if (value === undefined) sendPatch({ path, delete: true });
  else sendPatch({ path, value, kind: kind || "" });
}

// ------------------------------------------------------------------ the form

async function loadForm(kind) {
  state.form = await api("GET", `api/form/${encodeURIComponent(kind)}`);
  drawForm();
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function drawForm() {
  const form = $("form");
  const scroll = form.scrollTop;
  form.replaceChildren();
  state.formStale = false;
  if (!state.form) {
    form.append(el("p", { class: "finding error",
      text: "表单要等文件能读出文种（type）后才能显示：请在“YAML 文本”页改正上面列出的错误。" }));
    return;
  }
  if (state.data === null || typeof state.data !== "object") state.data = {};
  for (const field of state.form.fields) form.append(drawField(field, [field.key]));
  form.scrollTop = scroll;
  showFindings();
}

function fieldBox(field, path, control) {
  const key = keyOf(path);
  const box = el("div", { class: "field", "data-key": key, "data-type": field.type });
  const name = el("span", { class: "name" + (field.required ? " required" : ""), text: field.label });
  box.append(el("label", {}, name, control));
  if (field.hint) box.append(el("div", { class: "hint", text: field.hint }));
  return box;
}

function isEmpty(value) { return value === undefined || value === null || value === ""; }

function scalarText(value) {
  if (isEmpty(value)) return "";
  if (Array.isArray(value)) return value.join("、");
  if (typeof value === "object") return "";
  return String(value);
}

function drawField(field, path) {
  const value = getAt(path);
  switch (field.type) {
    case "map": return drawMap(field, path, value);
    case "list": return drawList(field, path, value);
    case "auto": return drawAuto(field, path, value);
    case "textlist": return drawTextList(field, path, value);
    case "numbermap": return drawNumberMap(field, path, value);
    case "enum": return drawEnum(field, path, value);
    case "bool": return drawEnum({ ...field, choices: [["true", "是"], ["false", "否"]] }, path,
      value === true ? "true" : value === false ? "false" : value, (v) => v === "true" ? true : v === "false" ? false : v);
    case "date": return drawDate(field, path, value);
    case "int": case "number": return drawNumber(field, path, value);
    case "names": return drawNames(field, path, value);
    default: return drawText(field, path, value);
  }
}

function drawText(field, path, value) {
  const long = (scalarText(value).length > 40) || /text|did|preamble|basis|task$/.test(field.key);
  const input = long ? el("textarea", { rows: 2 }) : el("input", { type: "text" });
  input.value = scalarText(value);
  input.addEventListener("input", () => edit(path, input.value.trim() === "" ? undefined : input.value));
  return fieldBox(field, path, input);
}

function drawNames(field, path, value) {
  const input = el("input", { type: "text" });
  input.value = scalarText(value);
  const asList = Array.isArray(value);
  input.addEventListener("input", () => {
    const text = input.value.trim();
    if (!text) return edit(path, undefined);
    if (asList) edit(path, text.split(/[、，,；;]+/).map((s) => s.trim()).filter(Boolean));
    else edit(path, text);
  });
  return fieldBox(field, path, input);
}

function drawNumber(field, path, value) {
  const input = el("input", { type: "text", inputmode: "decimal" });
  input.value = scalarText(value);
  input.addEventListener("input", () => {
    const text = input.value.trim();
    if (!text) return edit(path, undefined);
    // a number when it reads as one; anything else is sent as typed, for the loader to report
    edit(path, /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : text, field.type);
  });
  return fieldBox(field, path, input);
}

function isoDate(value) {
  const text = scalarText(value);
  let m = text.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$/);
  if (!m) return "";
  return `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
}

function drawDate(field, path, value) {
  const iso = isoDate(value);
  if (!isEmpty(value) && !iso) return drawText(field, path, value); // not a date: shown as typed
  const input = el("input", { type: "date" });
  input.value = iso;
  input.addEventListener("input", () => edit(path, input.value ? input.value : undefined, "date"));
  return fieldBox(field, path, input);
}

function drawEnum(field, path, value, convert) {
  const select = el("select", {});
  select.append(el("option", { value: "", text: "（未选择）" }));
  const current = scalarText(value);
  let found = current === "";
  for (const [v, gloss] of field.choices) {
    const option = el("option", { value: v, text: gloss ? `${gloss}（${v}）` : v });
    if (v === current) { option.selected = true; found = true; }
    select.append(option);
  }
  if (!found) select.append(el("option", { value: current, text: current, selected: true }));
  select.addEventListener("change", () => edit(path, select.value ? (convert ? convert(select.value) : select.value) : undefined));
  return fieldBox(field, path, select);
}

function drawMap(field, path, value) {
  const inner = el("div", {});
  for (const sub of field.fields) inner.append(drawField(sub, [...path, sub.key]));
  const key = keyOf(path);
  if (!field.required && typeof path[path.length - 1] !== "number") {
    const details = el("details", { class: "field", "data-key": key, "data-type": "map" },
      el("summary", { text: field.label + (field.hint ? `　${field.hint}` : "") }), inner);
    details.open = !isEmpty(value);
    return details;
  }
  const box = el("fieldset", { class: "field", "data-key": key, "data-type": "map" },
    el("legend", { text: field.label }));
  if (field.hint) box.append(el("div", { class: "hint", text: field.hint }));
  box.append(inner);
  return box;
}

function drawList(field, path, value) {
  const items = Array.isArray(value) ? value : [];
  const rows = el("div", { class: "rows" });
  items.forEach((item, i) => {
    const itemPath = [...path, i];
    const row = el("div", { class: "row-item", "data-key": keyOf(itemPath) });
    row.append(el("div", { class: "row-head" },
      el("span", { text: `第 ${i + 1} 项` }),
      el("button", { type: "button", text: "删除这一项", onclick: () => { flushWidened(); edit(itemPath, undefined); drawForm(); } })));
    if (typeof item === "string" && field.item.text_key) {
      // "- 一段文字" stands for {text_key: 一段文字}: edit it as that mapping
      setAt(itemPath, { [field.item.text_key]: item });
      widened.add(JSON.stringify(itemPath));
    }
    const itemField = field.item;
    if (itemField.type === "map") {
      for (const sub of itemField.fields) row.append(drawField(sub, [...itemPath, sub.key]));
    } else {
      row.append(drawField({ ...itemField, label: itemField.label || field.label }, itemPath));
    }
    rows.append(row);
  });
  const add = el("button", { type: "button", class: "add", text: `＋ 添加${field.label}`,
    onclick: () => { flushWidened(); edit([...path, items.length], {}); drawForm(); } });
  const box = el(path.length === 1 ? "details" : "fieldset", { class: "field", "data-key": keyOf(path), "data-type": "list" });
  if (path.length === 1) { box.append(el("summary", { text: field.label + (field.hint ? `　${field.hint}` : "") })); box.open = items.length > 0 || field.required; }
  else box.append(el("legend", { text: field.label }));
  box.append(rows, add);
  if (keyOf(path) === "recipients") box.append(uploadBox());
  return box;
}

function drawAuto(field, path, value) {
  const auto = value === undefined || value === null || (typeof value === "string" && value.trim().toLowerCase() === "auto");
  const check = el("input", { type: "checkbox" });
  check.checked = auto;
  check.addEventListener("change", () => {
    edit(path, check.checked ? "auto" : [field.inner.type === "textlist" ? "" : {}]);
    drawForm();
  });
  const box = el("details", { class: "field", "data-key": keyOf(path), "data-type": "auto" },
    el("summary", { text: field.label + (field.hint ? `　${field.hint}` : "") }),
    el("label", {}, check, el("span", { text: "自动（auto）：由程序安排" })));
  box.open = !auto || path.length === 1;
  if (!auto) box.append(drawField({ ...field.inner, label: field.label, hint: "" }, path));
  return box;
}

function drawTextList(field, path, value) {
  const items = Array.isArray(value) ? value : isEmpty(value) ? [] : [value];
  if (!Array.isArray(value) && items.length) setAt(path, items.slice());
  const rows = el("div", { class: "rows" });
  items.forEach((text, i) => {
    const area = el("textarea", { rows: 2 });
    area.value = scalarText(text);
    area.addEventListener("input", () => edit([...path, i], area.value));
    rows.append(el("div", { class: "row-item", "data-key": keyOf([...path, i]) },
      el("div", { class: "row-head" }, el("span", { text: `第 ${i + 1} 条` }),
        el("button", { type: "button", text: "删除", onclick: () => { edit([...path, i], undefined); drawForm(); } })),
      area));
  });
  const add = el("button", { type: "button", class: "add", text: "＋ 添加一条",
    onclick: () => {
      if (!Array.isArray(getAt(path))) edit(path, items.slice());
      edit([...path, items.length], ""); drawForm();
    } });
  const box = el("fieldset", { class: "field", "data-key": keyOf(path), "data-type": "textlist" },
    el("legend", { text: field.label }));
  if (field.hint) box.append(el("div", { class: "hint", text: field.hint }));
  box.append(rows, add);
  return box;
}

function drawNumberMap(field, path, value) {
  const entries = value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
  const box = el("fieldset", { class: "field", "data-key": keyOf(path), "data-type": "numbermap" },
    el("legend", { text: field.label }));
  if (field.hint) box.append(el("div", { class: "hint", text: field.hint }));
  for (const [k] of entries) box.append(drawNumber({ key: k, label: k, type: "number", hint: "" }, [...path, k], value[k]));
  const name = el("input", { type: "text", placeholder: "键名，如 deaths_max" });
  const add = el("button", { type: "button", text: "＋ 添加", onclick: () => {
    const k = name.value.trim();
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) { edit([...path, k], 0); drawForm(); }
  } });
  box.append(el("div", { class: "add" }, name, add));
  return box;
}

function uploadBox() {
  const input = el("input", { type: "file", accept: ".xlsx,.xlsm,.csv,.tsv,.txt" });
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file);
    try {
      const result = await api("POST", "api/upload", body);
      const inline = getAt(["recipients"]);
      if (Array.isArray(inline) && inline.length) {
        if (!confirm(`名单已上传为 ${result.name}。改用名单文件需要删除下面逐个填写的 ${inline.length} 个责任单位，是否删除？`)) return;
        edit(["recipients"], undefined);
      }
      edit(["recipients_file"], result.name);
      drawForm();
    } catch (error) { setStatus(error.message, true); }
  });
  return el("div", { class: "add" }, el("span", { text: "或上传名单（.xlsx / .csv）：" }), input);
}

// ------------------------------------------------------------------ findings

function showFindings() {
  for (const node of document.querySelectorAll("#form .finding")) node.remove();
  for (const node of document.querySelectorAll("#form .invalid")) node.classList.remove("invalid");
  const summary = $("summary");
  summary.replaceChildren();
  const errors = state.findings.filter((f) => f.severity === "错误").length;
  if (!state.findings.length) summary.append(el("p", { class: "ok", text: "未发现问题。" }));
  for (const f of state.findings) {
    const cls = f.severity === "错误" ? "error" : "warning";
    const line = el("p", { class: `finding ${cls}`, text: f.text || f.message });
    line.addEventListener("click", () => focusFinding(f));
    summary.append(line);
    const box = fieldFor(f.key);
    if (box) {
      box.classList.add("invalid");
      const where = box.matches("details") ? box.querySelector("summary") : box.querySelector(":scope > label") || box.firstChild;
      const note = el("div", { class: `finding ${cls}`, "data-code": f.code, text: `${f.severity} ${f.code} ${f.message}` });
      where.after(note);
      for (let d = box.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    }
  }
  $("summary").dataset.errors = String(errors);
  drawGutter();
}

function fieldFor(key) {
  let k = key || "";
  while (k) {
    const box = document.querySelector(`#form [data-key="${CSS.escape(k)}"]`);
    if (box) return box;
    k = parentKey(k);
  }
  return null;
}

function focusFinding(f) {
  const line = /^(\d+):/.exec(f.location || "");
  const box = fieldFor(f.key);
  if (state.tab === "form" && box) { box.scrollIntoView({ block: "center" }); const input = box.querySelector("input,select,textarea"); if (input) input.focus(); return; }
  if (line) { switchTab("yaml"); goToLine(Number(line[1])); }
}

// Line numbers beside the YAML text; lines with an error (or a warning) marked.
function drawGutter() {
  const area = $("yaml");
  const count = area.value.split("\n").length;
  const marks = new Map();
  for (const f of state.findings) {
    const m = /^(\d+):/.exec(f.location || "");
    if (m && (f.path === "" || f.path === state.file)) {
      const line = Number(m[1]);
      if (f.severity === "错误" || !marks.has(line)) marks.set(line, f.severity === "错误" ? "bad" : "warn");
    }
  }
  const gutter = $("yaml-gutter");
  gutter.replaceChildren();
  for (let n = 1; n <= count; n++) {
    gutter.append(marks.has(n) ? el("span", { class: marks.get(n), text: String(n) }) : document.createTextNode(String(n)));
    if (!marks.has(n)) gutter.append(document.createTextNode("\n"));
  }
  gutter.scrollTop = area.scrollTop;
}

function goToLine(n) {
  const area = $("yaml");
  const lines = area.value.split("\n");
  const start = lines.slice(0, n - 1).reduce((a, l) => a + l.length + 1, 0);
  area.focus();
  area.setSelectionRange(start, start + (lines[n - 1] || "").length);
  area.scrollTop = Math.max(0, (n - 5) * 19.5);
}

// ------------------------------------------------------------------ preview and trace

function showDocs() {
  const select = $("doc-select");
  $("doc-picker").hidden = state.docs.length < 2;
  $("btn-zip").hidden = state.docs.length < 2 && state.type !== "letter";
  $("doc-count").textContent = state.docs.length > 1 ? `共 ${state.docs.length} 份` : "";
  if (select.options.length !== state.docs.length || [...select.options].some((o, i) => o.textContent !== state.docs[i])) {
    select.replaceChildren(...state.docs.map((label, i) => el("option", { value: i, text: label })));
  }
  select.value = String(state.index);
}

// The pages are A4 wide (210 mm ≈ 794 px): shrink them to the pane's width.
function fitPages(doc) {
  const frame = $("preview");
  const scale = Math.min(1, (frame.clientWidth - 24) / 860);
  doc.documentElement.style.zoom = String(scale);
}

function showPreview(html) {
  const frame = $("preview");
  const doc = frame.contentDocument;
  if (!doc || !doc.body || !frame.dataset.rev) {
    frame.addEventListener("load", () => {
      frame.dataset.rev = "1";
      fitPages(frame.contentDocument);
      window.speechgenPreviewAt = performance.now();
      attachTrace();
      markFindings();
    }, { once: true });
    frame.srcdoc = html;
    return;
  }
  const scroller = doc.scrollingElement || doc.documentElement;
  const top = scroller.scrollTop;
  const fresh = new DOMParser().parseFromString(html, "text/html");
  doc.replaceChild(doc.importNode(fresh.documentElement, true), doc.documentElement);
  fitPages(doc);
  (doc.scrollingElement || doc.documentElement).scrollTop = top;
  frame.dataset.rev = String(Number(frame.dataset.rev) + 1);
  window.speechgenPreviewAt = performance.now();
  attachTrace();
  markFindings();
}

const squash = (text) => (text || "").replace(/\s+/g, "");

// check's findings name a paragraph by its first characters (段12「一季度，全县」): mark it.
function markFindings() {
  const doc = $("preview").contentDocument;
  if (!doc || !doc.body) return;
  const paragraphs = [...doc.querySelectorAll("p, h1, h2, h3, h4, h5, h6, td")];
  for (const f of state.findings) {
    const m = /「(.+?)」/.exec(f.location || "");
    if (!m) continue;
    const head = squash(m[1]).replace(/…+$/, "");
    const target = paragraphs.find((p) => squash(p.textContent).startsWith(head));
    if (!target) continue;
    target.style.outline = f.severity === "错误" ? "2px solid #c00" : "2px dashed #c90";
    target.title = `${f.severity} ${f.code} ${f.message}`;
  }
}

function attachTrace() {
  const doc = $("preview").contentDocument;
  if (!doc || !state.trace.length) return;
  const candidates = [...doc.querySelectorAll("p, h1, h2, h3, h4, h5, h6, li, td")];
  const used = new Set();
  for (const entry of state.trace) {
    let target = doc.querySelector(`[data-block="${entry.block}"]`);
    if (!target && entry.text) {
      const want = squash(entry.text);
      target = candidates.find((c) => !used.has(c) && squash(c.textContent) === want)
        || candidates.find((c) => !used.has(c) && want.length > 8 && squash(c.textContent).startsWith(want.slice(0, 24)));
    }
    if (!target) continue;
    used.add(target);
    target.addEventListener("mouseenter", (event) => showTrace(entry, event, target));
    target.addEventListener("mouseleave", hideTrace);
  }
}

function showTrace(entry, event, target) {
  const tip = $("trace-tip");
  const lines = [];
  if (entry.values.length) {
    for (const v of entry.values) lines.push(`输入：${v.key} = ${v.value}${v.at ? `（${v.at}）` : ""}`);
  } else if (entry.keys.length) lines.push(`输入：${entry.keys.join("、")}`);
  if (entry.snippets.length) lines.push(`短语：${entry.snippets.join("、")}`);
  const sources = entry.sources.filter(Boolean);
  if (sources.length) lines.push(`出处：${sources.join("、")}`);
  if (!lines.length) return;
  tip.textContent = lines.join("\n");
  const frame = $("preview").getBoundingClientRect();
  const box = target.getBoundingClientRect();
  const right = $("right").getBoundingClientRect();
  tip.style.left = `${Math.max(8, frame.left - right.left + box.left)}px`;
  tip.style.top = `${frame.top - right.top + box.bottom + 4}px`;
  tip.hidden = false;
  target.style.backgroundColor = "#fff7d1";
  for (const key of entry.keys) { const f = fieldFor(key); if (f) f.classList.add("traced"); }
}

function hideTrace(event) {
  $("trace-tip").hidden = true;
  if (event && event.target) event.target.style.backgroundColor = "";
  for (const node of document.querySelectorAll(".traced")) node.classList.remove("traced");
}

// ------------------------------------------------------------------ tabs, files, downloads

function switchTab(tab) {
  state.tab = tab;
  $("tab-form").setAttribute("aria-selected", String(tab === "form"));
  $("tab-yaml").setAttribute("aria-selected", String(tab === "yaml"));
  $("form").hidden = tab !== "form";
  $("yaml-pane").hidden = tab !== "yaml";
  if (tab === "yaml") { $("yaml").value = state.text; drawGutter(); }
  if (tab === "form" && state.formStale) drawForm();
}

function opened(result) {
  state.file = result.file;
  state.type = null;
  state.data = result.data || {};
  state.formStale = true;
  $("file-name").textContent = result.file;
  document.title = `${result.file} — speechgen 编辑器`;
  $("start").hidden = true;
  $("work").hidden = false;
  $("yaml").value = result.text;
  received(result, "open");
  if (!result.type) drawForm();
  const draft = result.draft;
  state.blocked = draft !== null && draft !== undefined;
  $("draft-banner").hidden = !state.blocked;
  $("left").inert = state.blocked;
}

async function openFile(name, options) {
  try { opened(await api("POST", "api/open", { name, ...(options || {}) })); }
  catch (error) { showStart(error.message); }
}

async function showStart(message) {
  const info = await api("GET", "api/state");
  $("work").hidden = true;
  $("start").hidden = false;
  $("folder").textContent = `文件夹：${info.folder}`;
  $("new-kind").replaceChildren(...info.kinds.map(([v, g]) => el("option", { value: v, text: `${g}（${v}）` })));
  if (info.file && !$("new-name").value) $("new-name").value = info.file;
  $("file-list").replaceChildren(...info.files.map((name) =>
    el("li", {}, el("a", { href: "#", text: name, onclick: (e) => { e.preventDefault(); openFile(name); } }))));
  if (!info.files.length) $("file-list").append(el("li", { class: "hint", text: "（没有 .yaml 文件）" }));
  $("start-message").hidden = !message;
  $("start-message").textContent = message || "";
}

async function download(fmt) {
  setStatus("正在生成…");
  const url = `api/download/${fmt}?index=${state.index}`;
  const response = await fetch(url, { headers: { "X-Token": TOKEN } });
  if (!response.ok) {
    let message = await response.text();
    try { message = JSON.parse(message).error; } catch (e) { /* plain text */ }
    state.findings = [{ key: "", severity: "错误", code: "", message, text: message }, ...state.findings];
    showFindings();
    setStatus("未能生成，见上方说明", true);
    return;
  }
  const disposition = response.headers.get("Content-Disposition") || "";
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = m ? decodeURIComponent(m[1]) : `document.${fmt}`;
  const blob = await response.blob();
  const link = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setStatus(`已下载 ${name}`);
}

async function save() {
  clearTimeout(queue.timer);
  await flush();
  try { await api("POST", "api/save", {}); setStatus("已保存"); }
  catch (error) { setStatus(error.message, true); }
}

// Leaving the page (refresh, close) with an edit still waiting for its debounce: send it now.
function flushOnLeave() {
  if (!queue.patches.size && queue.text === null) return;
  const body = { index: state.index };
  if (queue.text !== null) body.text = queue.text;
  if (queue.patches.size) body.patches = [...queue.patches.values()];
  queue.patches.clear(); queue.text = null;
  const blob = new Blob([JSON.stringify(body)], { type: "application/json" });
  navigator.sendBeacon(`api/update?token=${encodeURIComponent(TOKEN)}`, blob);
}

function init() {
  window.addEventListener("pagehide", flushOnLeave);
  $("tab-form").addEventListener("click", () => switchTab("form"));
  $("tab-yaml").addEventListener("click", () => switchTab("yaml"));
  $("yaml").addEventListener("input", () => { sendText($("yaml").value); drawGutter(); });
  $("yaml").addEventListener("scroll", () => { $("yaml-gutter").scrollTop = $("yaml").scrollTop; });
  $("doc-select").addEventListener("change", () => { state.index = Number($("doc-select").value); schedule(); });
  $("btn-save").addEventListener("click", save);
  $("btn-docx").addEventListener("click", () => download("docx"));
  $("btn-pdf").addEventListener("click", () => download("pdf"));
  $("btn-zip").addEventListener("click", () => download("zip"));
  $("btn-open").addEventListener("click", () => showStart());
  window.addEventListener("resize", () => { const d = $("preview").contentDocument; if (d && d.documentElement) fitPages(d); });
  $("btn-restore").addEventListener("click", () => openFile(state.file, { restore: true }));
  $("btn-discard").addEventListener("click", () => openFile(state.file, { discard: true }));
  $("btn-new").addEventListener("click", async () => {
    try { opened(await api("POST", "api/new", { kind: $("new-kind").value, name: $("new-name").value })); }
    catch (error) { showStart(error.message); }
  });
  document.addEventListener("keydown", (e) => { if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); } });
  api("GET", "api/state").then((info) => {
    if (info.file && info.exists) openFile(info.file);
    else showStart();
  }).catch((error) => setStatus(error.message, true));
}

init();
