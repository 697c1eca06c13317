// The page: a form (or a pasted/dropped case file, or #case=<base64url JSON>) -> POST /v1/check -> the
// verdict, violations, obligations, what was not checked, and an SVG timeline (from /v1/plan when the
// service has it, else from the case and the report). Text from the case or the report is only ever set
// with textContent or as SVG text nodes, never parsed as HTML.
"use strict";

const SECTIONS = [
  // [case key, schema definition, [field, input kind]...]: kind "date", "text", or "enum"
  ["trips", "Trip", [["entry", "date"], ["exit", "date"], ["purpose", "enum"]]],
  ["documents", "Document", [["type", "enum"], ["valid_from", "date"], ["valid_until", "date"], ["category", "enum"],
                             ["employer", "text"], ["region", "text"]]],
  ["stays", "Stay", [["host", "text"], ["from", "date"], ["to", "date"], ["registered_on", "date"]]],
  ["hosts", "Host", [["id", "text"], ["type", "enum"], ["size", "enum"]]],
  ["employment", "Employment", [["employer", "text"], ["start", "date"], ["end", "date"], ["category", "enum"],
                                ["region", "text"]]],
  ["employers", "Employer", [["id", "text"], ["type", "enum"], ["size", "enum"]]],
];
const KNOWN_BY_DEFAULT = new Set(["trips", "documents"]);
const LANGS = ["ru", "kk", "en"];
const SVG = "http://www.w3.org/2000/svg";

let catalogue = {};
let schema = null;
let lang = "en";
let base = {};        // the case last loaded: fields the form does not show are kept from it
let last = null;      // {report, plan, caseData} of the last check, redrawn on a language switch

const $ = (id) => document.getElementById(id);
const t = (key) => (catalogue[lang] && catalogue[lang][key]) || (catalogue.en && catalogue.en[key]) || key;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

// -- language ---------------------------------------------------------------------------------------

function pickLang() {
  const asked = new URLSearchParams(location.hash.slice(1)).get("lang") || localStorage.getItem("kzc-lang");
  if (LANGS.includes(asked)) return asked;
  for (const l of navigator.languages || [navigator.language || "en"]) {
    const two = String(l).slice(0, 2).toLowerCase();
    if (LANGS.includes(two)) return two;
  }
  return "en";
}

function applyLang() {
  document.documentElement.lang = lang;
  $("lang").value = lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const node of document.querySelectorAll("[data-tp]")) node.placeholder = t(node.dataset.tp);
  document.title = t("title");
}

// -- the form ---------------------------------------------------------------------------------------

function enumValues(def, field) {
  const defs = (schema && schema.$defs) || {};
  let p = defs[def] && defs[def].properties && defs[def].properties[field];
  if (!p) return null;
  if (p.$ref) p = defs[p.$ref.split("/").pop()];
  if (p.enum) return p.enum;
  for (const alt of p.anyOf || []) {
    const a = alt.$ref ? defs[alt.$ref.split("/").pop()] : alt;
    if (a && a.enum) return a.enum;
  }
  return null;
}

function input(def, field, kind, value) {
  const values = kind === "enum" ? enumValues(def, field) : null;
  let node;
  if (values) {
    node = el("select", {}, el("option", { value: "" }, "—"));
    for (const v of values) node.append(el("option", { value: String(v) }, String(v)));
  } else {
    node = el("input", { type: kind === "date" ? "date" : "text", maxlength: "200" });
  }
  node.dataset.field = field;
  node.value = value == null ? "" : String(value);
  return el("label", {}, el("span", { "data-t": "f." + field }, t("f." + field)), node);
}

function addRow(box, def, fields, item) {
  const row = el("div", { class: "row" });
  row.base = item || {};
  for (const [field, kind] of fields) row.append(input(def, field, kind, row.base[field]));
  const remove = el("button", { type: "button", class: "remove", "data-t": "remove" }, t("remove"));
  remove.addEventListener("click", () => row.remove());
  row.append(remove);
  box.append(row);
}

function buildForm(data) {
  base = data || {};
  const person = base.person || {};
  $("citizenship").value = person.citizenship || "";
  $("name").value = person.name || "";
  $("as_of").value = base.as_of || "";
  const holder = $("sections");
  holder.replaceChildren();
  for (const [key, def, fields] of SECTIONS) {
    const rows = el("div", { class: "rows" });
    const known = el("input", { type: "checkbox" });
    known.checked = data ? Array.isArray(base[key]) : KNOWN_BY_DEFAULT.has(key);
    known.dataset.known = key;
    const add = el("button", { type: "button", "data-t": "add" }, t("add"));
    add.addEventListener("click", () => { addRow(rows, def, fields, null); known.checked = true; });
    for (const item of Array.isArray(base[key]) ? base[key] : []) addRow(rows, def, fields, item);
    holder.append(el("fieldset", { "data-section": key },
      el("legend", { "data-t": "s." + key }, t("s." + key)), rows,
      el("div", { class: "actions" }, add,
        el("label", { class: "known" }, known, el("span", { "data-t": "known" }, t("known"))))));
  }
}

function caseFromForm() {
  const out = JSON.parse(JSON.stringify(base));
  const set = (obj, key, value) => { if (value === "") delete obj[key]; else obj[key] = value; };
  out.person = Object.assign({}, out.person);
  set(out.person, "citizenship", $("citizenship").value.trim());
  set(out.person, "name", $("name").value.trim());
  set(out, "as_of", $("as_of").value);
  for (const box of document.querySelectorAll("#sections fieldset")) {
    const key = box.dataset.section;
    if (!box.querySelector("[data-known]").checked) { delete out[key]; continue; }
    out[key] = [...box.querySelectorAll(".row")].map((row) => {
      const item = Object.assign({}, row.base);
      for (const node of row.querySelectorAll("[data-field]")) set(item, node.dataset.field, node.value.trim());
      return item;
    });
  }
  return out;
}

// -- the fragment: #case=<base64url of the case's UTF-8 JSON> ----------------------------------------

function encodeCase(data) {
  const bytes = new TextEncoder().encode(JSON.stringify(data));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCase(text) {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

// -- the service --------------------------------------------------------------------------------------

async function call(path, body) {
  const headers = { "Content-Type": "application/json" };
  const token = $("token").value || sessionStorage.getItem("kzc-token");
  if (token) headers.Authorization = "Bearer " + token;
  const res = await fetch(path, { method: body === undefined ? "GET" : "POST", headers,
                                  body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (res.status === 401) $("auth").open = true;
  return { status: res.status, data };
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
  $("verdict").hidden = true;
}

async function runCheck(data) {
  $("error").hidden = true;
  const q = new URLSearchParams({ lang });
  const res = await call("v1/check?" + q, data);
  if (res.status !== 200) {
    showError(t("error") + " " + (res.data && res.data.error ? res.data.error : "HTTP " + res.status));
    $("lists").replaceChildren();
    $("timeline").replaceChildren();
    return;
  }
  const report = res.data;
  const planned = await call("v1/plan?" + new URLSearchParams({ lang, as_of: report.as_of }), data);
  last = { report, plan: planned.status === 200 ? planned.data : null, caseData: data };
  const frag = "case=" + encodeCase(data);
  history.replaceState(null, "", "#" + frag);
  $("share-link").href = "#" + frag;
  $("share").hidden = false;
  render();
}

// -- the answer ---------------------------------------------------------------------------------------

function verdictOf(report) {
  if (report.compliant === true) return "compliant";
  if (report.compliant === false) return "violations";
  return "undetermined";  // null: no violation found, but a check that could find one did not run
}

const money = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");

function render() {
  if (!last) return;
  const { report, plan, caseData } = last;
  const verdict = verdictOf(report);
  const banner = $("verdict");
  banner.dataset.verdict = verdict;
  banner.replaceChildren(t("v." + verdict),
    el("small", {}, t("as_of") + " " + report.as_of + " · " + t("regime") + " " + report.regime +
       (report.fines_total_kzt ? " · " + t("fines_total") + " " + money(report.fines_total_kzt) + " ₸" : "")));
  banner.hidden = false;
  const lists = $("lists");
  lists.replaceChildren();
  section(lists, "h.violations", report.violations, (v) => {
    const s = v.sanction;
    const fine = s.fine_mrp == null ? t("fine_unknown")
      : s.fine_mrp + " " + t("mrp") + (s.fine_kzt == null ? "" : " = " + money(s.fine_kzt) + " ₸");
    const extra = [s.warning ? t("warning") : "", s.expulsion ? t("expulsion") : "",
                   s.expulsion_possible ? t("expulsion_possible") : "",
                   s.entry_ban_years ? t("entry_ban") + " " + s.entry_ban_years : "",
                   s.verified && v.verified ? "" : t("unverified")].filter(Boolean).join(" · ");
    return el("div", { class: "item violation" }, el("div", {}, v.message),
      el("div", { class: "fine" }, t("article") + " " + s.article + " (" + s.code + "): " + fine),
      el("div", { class: "meta" }, t("since") + " " + v.since + " · " + t("subject." + v.subject) +
         (v.subject_id ? " " + v.subject_id : "") + (extra ? " · " + extra : "") + " · " + s.title),
      el("div", { class: "meta" }, v.legal_basis.join("; ")));
  });
  section(lists, "h.obligations", report.obligations, (o) => el("div", { class: "item obligation" },
    el("div", {}, o.message), el("div", { class: "meta" }, t("due") + " " + o.due + " · " + o.kind)));
  section(lists, "h.findings", report.findings || [], (f) => el("div", { class: "item" },
    el("div", {}, f.message), el("div", { class: "meta" }, t("since") + " " + f.since + " · " + f.kind)));
  section(lists, "h.unchecked", report.unchecked, (u) => el("div", { class: "item unchecked" },
    el("div", {}, u.check), el("div", { class: "meta" }, t("needs") + " " + u.needs)));
  drawTimeline($("timeline"), caseData, report, plan);
}

function section(holder, title, items, draw) {
  if (!items || !items.length) return;
  holder.append(el("h2", {}, t(title) + " (" + items.length + ")"));
  for (const item of items) holder.append(draw(item));
}

// -- the timeline -------------------------------------------------------------------------------------

const DAY = 86400000;
const day = (iso) => Date.parse(iso + "T00:00:00Z");
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function drawTimeline(holder, caseData, report, plan) {
  holder.replaceChildren();
  const asOf = day(report.as_of);
  const trips = (caseData.trips || []).filter((tr) => tr && tr.entry && !isNaN(day(tr.entry)));
  const series = plan && Array.isArray(plan.timeline) ? plan.timeline : [];
  const dues = report.obligations.map((o) => ({ at: day(o.due), label: o.kind }));
  const points = [asOf, ...trips.map((tr) => day(tr.entry)), ...trips.filter((tr) => tr.exit).map((tr) => day(tr.exit)),
                  ...dues.map((d) => d.at), ...series.map((p) => day(p.date))].filter((x) => !isNaN(x));
  const pad = Math.max(7 * DAY, (Math.max(...points) - Math.min(...points)) * 0.04);
  const lo = Math.min(...points) - pad;
  const hi = Math.max(...points) + pad;
  const W = 720, left = 34, right = 16, chart = series.length ? 120 : 0;
  const H = 110 + chart;
  const x = (ms) => left + ((ms - lo) / (hi - lo)) * (W - left - right);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("timeline") });
  // a label beside x, on its left when it would run off the right edge
  const label = (at, y, text, fill) => root.append(svg("text", at > W * 0.6
    ? { x: at - 3, y, fill, "text-anchor": "end" } : { x: at + 3, y, fill }, text));
  root.append(svg("text", { x: left, y: 14, "font-weight": "600" }, t("timeline")));
  // months along the axis
  const axisY = 78 + chart;
  root.append(svg("line", { x1: left, x2: W - right, y1: axisY, y2: axisY, stroke: "#b9c2cb" }));
  const first = new Date(lo);
  for (let m = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1); m < hi;
       m = Date.UTC(new Date(m).getUTCFullYear(), new Date(m).getUTCMonth() + 1, 1)) {
    root.append(svg("line", { x1: x(m), x2: x(m), y1: axisY, y2: axisY + 4, stroke: "#b9c2cb" }));
    root.append(svg("text", { x: x(m) + 2, y: axisY + 15 }, iso(m).slice(0, 7)));
  }
  // trips: lawful days green; from a stay violation's `since` to the trip's end, overstay red
  const overstay = report.violations.filter((v) => v.subject === "foreigner" && v.rule.startsWith("stay."))
    .map((v) => day(v.since));
  const barY = 30;
  for (const tr of trips) {
    const a = day(tr.entry), b = tr.exit ? day(tr.exit) : Math.max(asOf, a);
    const bad = overstay.filter((s) => s >= a && s <= b);
    const cut = bad.length ? Math.min(...bad) : b + DAY;
    root.append(svg("rect", { x: x(a), y: barY, width: Math.max(2, x(Math.min(cut, b + DAY)) - x(a)), height: 16,
                              fill: "#2e9e5b" }));
    if (bad.length) {
      root.append(svg("rect", { x: x(cut), y: barY, width: Math.max(2, x(b + DAY) - x(cut)), height: 16,
                                fill: "#c62828" }));
      label(x(cut), barY - 4, t("overstay") + " " + iso(cut), "#c62828");
    }
  }
  // the rolling-window count against the cap (from plan's timeline)
  if (series.length) {
    const cap = (plan.now && plan.now.cap_days) || Math.max(...series.map((p) => p.days_in_window));
    const top = 58, bottom = top + chart - 10;
    const y = (n) => bottom - (n / Math.max(cap, 1)) * (bottom - top) * 0.9;
    root.append(svg("line", { x1: left, x2: W - right, y1: y(cap), y2: y(cap), stroke: "#c62828", "stroke-dasharray": "4 3" }));
    root.append(svg("text", { x: 2, y: y(cap) + 4, fill: "#c62828" }, cap));
    const path = series.map((p, i) => (i ? "L" : "M") + x(day(p.date)).toFixed(1) + " " + y(p.days_in_window).toFixed(1));
    root.append(svg("path", { d: path.join(" "), fill: "none", stroke: "#0b5cad", "stroke-width": 2 }));
    root.append(svg("text", { x: left + 4, y: top + 4 }, t("window") + " (" + ((plan.now && plan.now.window_days) || "") + ")"));
  }
  // deadlines and the day checked
  for (const d of dues) {
    root.append(svg("line", { x1: x(d.at), x2: x(d.at), y1: 22, y2: axisY, stroke: "#0b5cad", "stroke-dasharray": "3 3" }));
    label(x(d.at), axisY - 4, d.label + " " + iso(d.at), "#0b5cad");
  }
  root.append(svg("line", { x1: x(asOf), x2: x(asOf), y1: 20, y2: axisY + 4, stroke: "#1b1f23" }));
  label(x(asOf), H - 6, t("as_of") + " " + report.as_of, "#1b1f23");
  holder.append(root);
}

// -- wiring -------------------------------------------------------------------------------------------

function loadText(text) {
  let data;
  try { data = JSON.parse(text); } catch (e) { showError(t("bad_file") + " " + e.message); return; }
  if (!data || typeof data !== "object" || Array.isArray(data)) { showError(t("bad_file")); return; }
  buildForm(data);
  runCheck(data);
}

async function start() {
  lang = pickLang();
  try { catalogue = await (await fetch("messages.json")).json(); } catch (e) { catalogue = {}; }
  const token = sessionStorage.getItem("kzc-token");
  if (token) $("token").value = token;
  $("token").addEventListener("change", () => sessionStorage.setItem("kzc-token", $("token").value));
  const s = await call("v1/schema/case");
  schema = s.status === 200 ? s.data : null;
  applyLang();
  $("lang").addEventListener("change", () => {
    lang = $("lang").value;
    localStorage.setItem("kzc-lang", lang);
    applyLang();
    if (last) runCheck(last.caseData);
  });
  $("case-form").addEventListener("submit", (ev) => { ev.preventDefault(); runCheck(caseFromForm()); });
  $("clear").addEventListener("click", () => { buildForm(null); last = null; });
  $("load").addEventListener("click", () => loadText($("paste").value));
  $("file-input").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    if (file) loadText(await file.text());
  });
  const paste = $("paste");
  paste.addEventListener("dragover", (ev) => ev.preventDefault());
  paste.addEventListener("drop", async (ev) => {
    ev.preventDefault();
    const file = ev.dataTransfer.files[0];
    if (file) { paste.value = await file.text(); loadText(paste.value); }
  });
  const shared = new URLSearchParams(location.hash.slice(1)).get("case");
  if (shared) {
    let data = null;
    try { data = decodeCase(shared); } catch (e) { showError(t("bad_link")); }
    buildForm(data);
    if (data) await runCheck(data);
  } else {
    buildForm(null);
  }
  document.body.dataset.ready = "1";
}

start();
