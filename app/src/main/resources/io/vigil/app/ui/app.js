// The Vigil web UI: sign-in, the Logs page, ingestion health and administration. Plain modules, no
// framework; every value from the server is put on the page as text (textContent), never as markup.
import {createKqlEditor} from "./editor.js";

const KEY_STORAGE = "vigil.apiKey";
const THEME_STORAGE = "vigil.theme";
const QUERY_STORAGE = "vigil.query";
const WORKSPACE_QUERY = "/v1/workspaces/default/query";
// the grid draws this many rows; the export carries them all
const GRID_ROWS = 1000;
const DEFAULT_QUERY = "SigninLogs\n| where ResultType != \"0\"\n| summarize Failures = count() by IPAddress\n| top 10 by Failures";

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// ---- session and API ----

const session = {
  key: sessionStorage.getItem(KEY_STORAGE),
  me: null,
  catalog: null,
};

class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, {method = "GET", body, signal, headers = {}} = {}) {
  const response = await fetch(path, {
    method,
    signal,
    headers: {
      Authorization: `Bearer ${session.key}`,
      ...(body === undefined ? {} : {"Content-Type": "application/json"}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (response.status === 401) {
    signOut("Your key was not accepted; sign in again.");
    throw new ApiError(401, json);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

async function signIn(key) {
  session.key = key;
  const me = await api("/v1/me");
  sessionStorage.setItem(KEY_STORAGE, key);
  session.me = me;
  return me;
}

function signOut(message = "") {
  sessionStorage.removeItem(KEY_STORAGE);
  session.key = null;
  session.me = null;
  session.catalog = null;
  $("signin-error").textContent = message;
  location.hash = "#/signin";
  route();
}

function hasRole(role) {
  return session.me !== null && session.me.grantedRoles.includes(role);
}

// ---- theme ----

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(THEME_STORAGE, theme);
}

function initialTheme() {
  const saved = localStorage.getItem(THEME_STORAGE);
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

// ---- routing ----

const UPCOMING = {
  alerts: ["Alerts", "Alerts appear here once detection runs rules (it is being built). Until then, query the SecurityAlert table on the Logs page."],
  incidents: ["Incidents", "Incidents appear here once detection groups alerts into incidents (it is being built). Until then, query the SecurityIncident table on the Logs page."],
  rules: ["Rules", "Analytic rules appear here once the rule scheduler lands. `vigil rules check` runs a folder of Sentinel rules' queries today."],
};

function showPage(id) {
  for (const page of document.querySelectorAll(".page")) page.hidden = page.id !== id;
}

// a page that cannot load says why where the user looks, instead of failing silently
async function route() {
  $("page-error").hidden = true;
  try {
    await showRoute();
  } catch (error) {
    if (error.status === 401) return;
    $("page-error").textContent = `This page could not load: ${error.message}`;
    $("page-error").hidden = false;
  }
}

async function showRoute() {
  const page = (location.hash.replace(/^#\/?/, "") || "logs").split("?")[0];
  if (!session.key) {
    $("nav").hidden = true;
    $("signout").hidden = true;
    $("who").textContent = "";
    showPage("page-signin");
    $("apikey").focus();
    return;
  }
  if (!session.me) {
    try {
      await signIn(session.key);
    } catch (error) {
      if (error.status !== 401) signOut(`Could not sign in: ${error.message}`);
      return;
    }
  }
  $("nav").hidden = false;
  $("signout").hidden = false;
  $("who").textContent = `${session.me.name} (${session.me.role})`;
  for (const link of document.querySelectorAll("#nav a")) {
    // a reader is not shown admin pages; the server refuses their APIs to a reader anyway
    link.hidden = link.dataset.role !== undefined && !hasRole(link.dataset.role);
    if (link.dataset.page === page) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  switch (page) {
    case "signin":
    case "logs":
      showPage("page-logs");
      await openLogs();
      break;
    case "health":
      showPage("page-health");
      await loadHealth();
      break;
    case "admin":
      showPage("page-admin");
      await loadAdmin();
      break;
    default:
      if (UPCOMING[page]) {
        showPage("page-upcoming");
        $("upcoming-title").textContent = UPCOMING[page][0];
        $("upcoming-text").textContent = UPCOMING[page][1];
      } else {
        location.hash = "#/logs";
      }
  }
}

// ---- Logs page ----

let editor = null;
let running = null;
let lastResult = null;

async function openLogs() {
  if (!session.catalog) {
    session.catalog = await api("/v1/catalog");
    renderSchema();
  }
  if (!editor) {
    editor = createKqlEditor({
      parent: $("editor"),
      doc: sessionStorage.getItem(QUERY_STORAGE) || DEFAULT_QUERY,
      catalog: session.catalog,
      lint: lintQuery,
      onRun: runQuery,
      label: "KQL query",
      nonce: document.querySelector("meta[name='csp-nonce']").content,
    });
    const params = new URLSearchParams(location.hash.split("?")[1] || "");
    if (params.has("query")) editor.setText(params.get("query"));
  }
  editor.focus();
}

function renderSchema() {
  const filter = $("schema-filter").value.trim().toLowerCase();
  const list = $("schema-list");
  list.replaceChildren();
  for (const table of session.catalog.tables) {
    if (filter && !table.name.toLowerCase().includes(filter)) continue;
    const count = table.rowCount === null ? "" : table.rowCount.toLocaleString("en-US");
    const details = element("details", {},
      element("summary", {},
        element("span", {text: table.name}),
        element("span", {class: "count", "aria-label": `${count} rows`, text: count})));
    // the catalog has ~700 tables and ~20,000 columns: a table's columns are built when it is opened,
    // so the page stays small enough for the browser (and assistive technology) to stay quick
    details.addEventListener("toggle", () => {
      if (details.open && details.childElementCount === 1) details.append(schemaColumns(table));
    });
    list.append(element("li", {"data-table": table.name}, details));
  }
}

function schemaColumns(table) {
  const columns = element("ul");
  for (const column of table.columns) {
    columns.append(element("li", {class: "column"},
      element("button", {type: "button", title: column.description || column.name, text: column.name,
        onclick: () => insertText(column.name)}),
      element("span", {class: "type", text: column.type})));
  }
  return columns;
}

function insertText(text) {
  const view = editor.view;
  const selection = view.state.selection.main;
  view.dispatch({changes: {from: selection.from, to: selection.to, insert: text},
    selection: {anchor: selection.from + text.length}});
  view.focus();
}

function timespan() {
  const value = $("timerange").value;
  return value === "" ? undefined : value;
}

async function lintQuery(text) {
  sessionStorage.setItem(QUERY_STORAGE, text);
  if (text.trim() === "") {
    $("diagnostic-summary").textContent = "";
    return [];
  }
  let reply;
  try {
    reply = await api("/v1/compile", {method: "POST", body: {query: text, timespan: timespan()}});
  } catch (error) {
    $("diagnostic-summary").textContent = error.message;
    return [];
  }
  const errors = reply.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  $("diagnostic-summary").textContent = errors === 0 ? "" : `${errors} error${errors === 1 ? "" : "s"}`;
  const length = text.length;
  return reply.diagnostics.map((diagnostic) => {
    const from = Math.min(diagnostic.start, length);
    let to = Math.min(Math.max(diagnostic.end, diagnostic.start + 1), length);
    if (to <= from) to = from;
    return {from, to, severity: diagnostic.severity, message: `${diagnostic.code}: ${diagnostic.message}`};
  });
}

async function runQuery() {
  if (running) return;
  const text = editor.text();
  if (text.trim() === "") return;
  const controller = new AbortController();
  running = controller;
  $("run").disabled = true;
  $("cancel").disabled = false;
  $("query-error").hidden = true;
  $("warning").hidden = true;
  $("status").textContent = "Running…";
  const started = performance.now();
  try {
    const body = await api(WORKSPACE_QUERY, {method: "POST", body: {query: text, timespan: timespan()},
      signal: controller.signal, headers: {Prefer: "include-render=true"}});
    const seconds = (performance.now() - started) / 1000;
    showResult(body, seconds);
  } catch (error) {
    lastResult = null;
    $("export-csv").disabled = true;
    $("export-json").disabled = true;
    if (error.name === "AbortError") {
      $("status").textContent = "Cancelled";
    } else {
      $("status").textContent = "";
      showQueryError(error);
    }
  } finally {
    running = null;
    $("run").disabled = false;
    $("cancel").disabled = true;
  }
}

function showQueryError(error) {
  const box = $("query-error");
  const details = error.body?.error?.details || [];
  const lines = [error.message];
  for (const detail of details) {
    const where = detail.additionalProperties ? ` (line ${detail.additionalProperties.line}, position ${detail.additionalProperties.pos})` : "";
    if (detail.message !== error.message || where) lines.push(`${detail.code}: ${detail.message}${where}`);
  }
  box.textContent = lines.join("\n");
  box.hidden = false;
}

function showResult(body, seconds) {
  const table = body.tables[0];
  lastResult = {columns: table.columns, rows: table.rows, render: body.render || null};
  const rows = table.rows.length;
  $("status").textContent = `${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"} · ${seconds.toFixed(2)} s`;
  if (body.error && body.error.code === "PartialError") {
    const details = (body.error.details || []).map((detail) => `${detail.code}: ${detail.message}`);
    $("warning").textContent = `Partial result: ${details.join("; ") || body.error.message}`;
    $("warning").hidden = false;
  }
  $("export-csv").disabled = false;
  $("export-json").disabled = false;
  sortState = {column: -1, descending: false};
  renderGrid();
  if (lastResult.render && isChartable(lastResult.render.visualization)) {
    selectTab("chart");
  } else {
    selectTab("table");
  }
}

let sortState = {column: -1, descending: false};

function compareValues(left, right) {
  if (left === right) return 0;
  if (left === null || left === undefined) return -1;
  if (right === null || right === undefined) return 1;
  if (typeof left === "number" && typeof right === "number") return left - right;
  return String(left).localeCompare(String(right), "en");
}

function renderGrid() {
  const grid = $("grid");
  if (!lastResult) {
    grid.replaceChildren();
    return;
  }
  const {columns} = lastResult;
  let rows = lastResult.rows;
  if (sortState.column >= 0) {
    const index = sortState.column;
    const direction = sortState.descending ? -1 : 1;
    rows = [...rows].sort((left, right) => direction * compareValues(left[index], right[index]));
  }
  const head = element("tr");
  columns.forEach((column, index) => {
    let sort = "none";
    if (sortState.column === index) sort = sortState.descending ? "descending" : "ascending";
    head.append(element("th", {scope: "col", "aria-sort": sort},
      element("button", {type: "button", title: `Sort by ${column.name}`, onclick: () => sortBy(index)},
        column.name, element("span", {class: "coltype", text: column.type}))));
  });
  const tbody = element("tbody");
  for (const row of rows.slice(0, GRID_ROWS)) {
    const tr = element("tr");
    row.forEach((value, index) => tr.append(cell(value, columns[index].type)));
    tbody.append(tr);
  }
  const tableNode = element("table", {class: "results", "aria-label": "Query results"},
    element("thead", {}, head), tbody);
  grid.replaceChildren(tableNode);
  if (rows.length > GRID_ROWS) {
    grid.append(element("p", {class: "help",
      text: `Showing the first ${GRID_ROWS} of ${rows.length} rows; the export has them all.`}));
  }
}

function sortBy(index) {
  if (sortState.column === index) sortState.descending = !sortState.descending;
  else sortState = {column: index, descending: false};
  renderGrid();
}

function displayText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function cell(value, type) {
  const td = element("td");
  if (value === null || value === undefined) {
    td.classList.add("null");
  } else if (type === "dynamic") {
    td.append(dynamicValue(value));
  } else {
    if (typeof value === "number") td.classList.add("number");
    td.append(document.createTextNode(String(value)));
  }
  const copy = element("button", {type: "button", class: "copy", "aria-label": "Copy value", text: "Copy",
    onclick: async () => {
      await navigator.clipboard.writeText(displayText(value)).catch(() => {});
      copy.textContent = "Copied";
      setTimeout(() => { copy.textContent = "Copy"; }, 1200);
    }});
  td.append(copy);
  return td;
}

// a dynamic value arrives as JSON text (or as a value); objects and arrays expand as a tree
function dynamicValue(value) {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return document.createTextNode(value);
    }
  }
  if (parsed === null || typeof parsed !== "object") return document.createTextNode(displayText(parsed));
  const summary = element("summary", {"aria-label": "Expand value", text: preview(parsed)});
  return element("details", {class: "dyn"}, summary, tree(parsed));
}

function preview(value) {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function tree(value) {
  const list = element("ul", {class: "tree"});
  const entries = Array.isArray(value) ? value.map((item, index) => [`[${index}]`, item]) : Object.entries(value);
  for (const [key, item] of entries) {
    const keyNode = element("span", {class: "key", text: key});
    if (item !== null && typeof item === "object") {
      list.append(element("li", {}, element("details", {}, element("summary", {}, keyNode, `: ${preview(item)}`), tree(item))));
    } else {
      const kind = typeof item === "string" ? "str" : "num";
      list.append(element("li", {}, keyNode, ": ", element("span", {class: kind, text: JSON.stringify(item)})));
    }
  }
  return list;
}

function selectTab(which) {
  const chart = which === "chart";
  $("tab-table").setAttribute("aria-selected", String(!chart));
  $("tab-chart").setAttribute("aria-selected", String(chart));
  $("grid").hidden = chart;
  $("chart").hidden = !chart;
  if (chart) renderChart();
}

// ---- chart (uPlot) ----

const CHARTABLE = ["timechart", "linechart", "areachart", "scatterchart", "columnchart", "barchart"];
let plot = null;

function isChartable(visualization) {
  return CHARTABLE.includes(visualization);
}

function renderChart() {
  const box = $("chart");
  if (plot) {
    plot.destroy();
    plot = null;
  }
  box.replaceChildren();
  if (!lastResult) return;
  const visualization = lastResult.render?.visualization || "timechart";
  const series = chartSeries(lastResult);
  if (!series) {
    box.append(element("p", {class: "note",
      text: "A chart needs a datetime column and at least one numeric column: end the query with `| render timechart`."}));
    return;
  }
  if (!isChartable(visualization)) {
    box.append(element("p", {class: "note", text: `A ${visualization} is drawn as a time chart here.`}));
  }
  const palette = ["#2f6fde", "#d9480f", "#2b8a3e", "#ae3ec9", "#e67700", "#0c8599", "#c2255c", "#5c940d"];
  const options = {
    title: lastResult.render?.title || "",
    width: Math.max(box.clientWidth - 20, 400),
    height: Math.max(Math.min(box.clientHeight - 60, 420), 240),
    scales: {x: {time: true}},
    axes: [{stroke: getComputedStyle(document.body).color}, {stroke: getComputedStyle(document.body).color}],
    series: [{label: series.xLabel}, ...series.names.map((name, index) => ({
      label: name, stroke: palette[index % palette.length], width: 2,
      ...(visualization === "columnchart" || visualization === "barchart"
        ? {paths: uPlot.paths.bars({size: [0.6, 40]}), fill: palette[index % palette.length]} : {}),
    }))],
  };
  plot = new uPlot(options, series.data, box);
  box.dataset.series = String(series.names.length);
  box.dataset.points = String(series.data[0].length);
}

// x = the render's xColumn or the first datetime column; y = numeric columns; a string column splits series
function chartSeries({columns, rows, render}) {
  const xIndex = render?.xColumn ? columns.findIndex((column) => column.name === render.xColumn)
    : columns.findIndex((column) => column.type === "datetime");
  if (xIndex < 0) return null;
  const numeric = columns.map((column, index) => ({column, index}))
    .filter(({column, index}) => index !== xIndex && ["long", "int", "real", "decimal"].includes(column.type));
  if (numeric.length === 0) return null;
  const split = columns.findIndex((column, index) => index !== xIndex && column.type === "string");
  const times = [...new Set(rows.map((row) => Date.parse(row[xIndex]) / 1000).filter((time) => !Number.isNaN(time)))]
    .sort((left, right) => left - right);
  const position = new Map(times.map((time, index) => [time, index]));
  const seriesByName = new Map();
  for (const row of rows) {
    const time = Date.parse(row[xIndex]) / 1000;
    if (!position.has(time)) continue;
    for (const {column, index} of numeric) {
      const name = split >= 0 ? (numeric.length > 1 ? `${row[split]} ${column.name}` : String(row[split])) : column.name;
      if (!seriesByName.has(name)) seriesByName.set(name, new Array(times.length).fill(null));
      seriesByName.get(name)[position.get(time)] = row[index];
    }
  }
  return {xLabel: columns[xIndex].name, names: [...seriesByName.keys()], data: [times, ...seriesByName.values()]};
}

// ---- export ----

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const link = element("a", {href: url, download: name});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function csvField(value) {
  const text = displayText(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll("\"", "\"\"")}"` : text;
}

function exportCsv() {
  const {columns, rows} = lastResult;
  const lines = [columns.map((column) => csvField(column.name)).join(",")];
  for (const row of rows) lines.push(row.map(csvField).join(","));
  download("vigil-results.csv", "text/csv", `${lines.join("\r\n")}\r\n`);
}

function exportJson() {
  const {columns, rows} = lastResult;
  const records = rows.map((row) => Object.fromEntries(columns.map((column, index) => [column.name, row[index]])));
  download("vigil-results.json", "application/json", `${JSON.stringify(records, null, 2)}\n`);
}

// ---- Ingestion health ----

function simpleTable(label, headers, rows) {
  const head = element("tr", {}, ...headers.map((header) => element("th", {scope: "col"},
    element("button", {type: "button", tabindex: "-1", text: header}))));
  const body = element("tbody", {}, ...rows.map((row) => element("tr", {}, ...row.map((value) => {
    const td = element("td", {text: displayText(value)});
    if (typeof value === "number") td.classList.add("number");
    return td;
  }))));
  return element("table", {class: "results", "aria-label": label}, element("thead", {}, head), body);
}

async function loadHealth() {
  const sources = await api("/v1/sources");
  $("health-window").textContent = sources.window;
  $("health-sources").replaceChildren(simpleTable("Sources",
    ["Input", "Source", "Description", "Events", "Events/s", "Failures", "Failures by reason", "Last event", "Lag"],
    sources.sources.map((source) => [source.input, source.source, source.description, source.eventsTotal,
      source.eventsPerSecond, source.failuresTotal,
      Object.entries(source.failures).map(([reason, count]) => `${reason}: ${count}`).join(", "),
      source.lastEventTime || "", source.lag ? `${source.lag.value} ${source.lag.unit}` : ""])));
  const reasons = await api(WORKSPACE_QUERY, {method: "POST", body: {query:
    "VigilDeadLetter | summarize DeadLetters = count(), Last = max(TimeGenerated) by Reason, Source, Format | order by DeadLetters desc"}});
  const reasonTable = reasons.tables[0];
  $("health-reasons").replaceChildren(reasonTable.rows.length === 0
    ? element("p", {class: "help", text: "No dead letters: every input parsed."})
    : simpleTable("Dead letters by reason", reasonTable.columns.map((column) => column.name), reasonTable.rows));
  const samples = await api(WORKSPACE_QUERY, {method: "POST", body: {query:
    "VigilDeadLetter | top 20 by TimeGenerated desc | project TimeGenerated, Reason, Source, Format, Detail, RawSize, Sample = substring(RawData, 0, 200)"}});
  const sampleTable = samples.tables[0];
  $("health-samples").replaceChildren(sampleTable.rows.length === 0 ? element("span")
    : simpleTable("Latest dead letters", sampleTable.columns.map((column) => column.name), sampleTable.rows));
}

// ---- Administration ----

async function loadAdmin() {
  $("admin-error").textContent = "";
  $("admin-principals").replaceChildren();
  try {
    const reply = await api("/v1/principals");
    $("admin-principals").replaceChildren(simpleTable("Principals", ["Principal", "Role"],
      reply.principals.map((principal) => [principal.name, principal.role])));
  } catch (error) {
    $("admin-error").textContent = error.status === 403 ? `Not allowed: ${error.message}` : error.message;
  }
}

// ---- wiring ----

function wire() {
  applyTheme(initialTheme());
  $("theme").addEventListener("click", () => applyTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark"));
  $("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = $("apikey").value.trim();
    $("signin-error").textContent = "";
    try {
      await signIn(key);
      $("apikey").value = "";
      if (location.hash === "" || location.hash === "#/signin") location.hash = "#/logs";
      else route();
    } catch (error) {
      session.key = null;
      $("signin-error").textContent = error.status === 401 ? "That key was not accepted." : `Could not sign in: ${error.message}`;
    }
  });
  $("signout").addEventListener("click", () => signOut());
  $("run").addEventListener("click", runQuery);
  $("cancel").addEventListener("click", () => running?.abort());
  $("timerange").addEventListener("change", () => editor?.relint());
  $("tab-table").addEventListener("click", () => selectTab("table"));
  $("tab-chart").addEventListener("click", () => selectTab("chart"));
  $("export-csv").addEventListener("click", exportCsv);
  $("export-json").addEventListener("click", exportJson);
  $("schema-filter").addEventListener("input", renderSchema);
  $("health-refresh").addEventListener("click", loadHealth);
  window.addEventListener("hashchange", route);
  route();
}

wire();
