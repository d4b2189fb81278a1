// The Vigil web UI: sign-in, the Logs page, alerts, incidents, rules, ingestion health and administration. Plain modules, no
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

function showPage(id) {
  for (const page of document.querySelectorAll(".page")) page.hidden = page.id !== id;
}

// a page that cannot load says why where the user looks, instead of failing silently
async function route() {
  $("page-error").hidden = true;
  try {
    await showRoute();
  } catch (error) {
    showPageError(error);
  }
}

function showPageError(error) {
  if (error.status === 401) return;
  $("page-error").textContent = `This page could not load: ${error.message}`;
  $("page-error").hidden = false;
}

async function showRoute() {
  const path = (location.hash.replace(/^#\/?/, "") || "logs").split("?")[0];
  // an incident's page is incidents/<number>; the navigation marks Incidents for it
  const [page, id] = path.split("/");
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
    case "alerts":
      showPage("page-alerts");
      await openAlerts();
      break;
    case "incidents":
      if (id !== undefined && /^\d+$/.test(id)) {
        showPage("page-incident");
        await loadIncident(id);
      } else {
        showPage("page-incidents");
        await loadIncidents();
      }
      break;
    case "rules":
      showPage("page-rules");
      await loadRules();
      break;
    default:
      location.hash = "#/logs";
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
  }
  // "investigate" and "open in Logs" arrive as #/logs?query=…&timespan=…&run=1: applied once, then the
  // address goes back to #/logs so a reload does not run it again
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  if (params.has("query")) {
    editor.setText(params.get("query"));
    if (params.has("timespan")) setTimeRange(params.get("timespan"), params.get("label"));
    history.replaceState(null, "", "#/logs");
    if (params.get("run") === "1") runQuery();
  }
  editor.focus();
}

// a time range that is not one of the picker's (an alert's window) is added to it as its own choice
function setTimeRange(value, label) {
  const select = $("timerange");
  select.querySelector("option[data-custom]")?.remove();
  if (![...select.options].some((option) => option.value === value)) {
    select.append(element("option", {value, "data-custom": "true", text: label || value}));
  }
  select.value = value;
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


// ---- Alerts, incidents and rules ----

const INSIGHTS = "/v1/securityinsights";

// datetimes are shown in UTC, as the data has them: 2026-12-06 01:30:00Z
function shortTime(iso) {
  if (!iso) return "";
  return iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

// an ISO 8601 duration of the pickers (PT1H, P7D) in milliseconds
function durationMillis(text) {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(text);
  if (!match) return null;
  const [, days = 0, hours = 0, minutes = 0] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000;
}

// to the minute, for the rules table's narrow columns: 2026-12-06 01:00Z
function minuteTime(iso) {
  return shortTime(iso).replace(/:\d\dZ$/, "Z");
}

// PT1H → 1h, P1D → 1d: how rules are written
function shortDuration(text) {
  const millis = durationMillis(text);
  if (millis === null) return text;
  const minutes = millis / 60_000;
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

function severityBadge(severity) {
  return element("span", {class: `sev sev-${String(severity).toLowerCase()}`, text: severity});
}

// a table of rows whose cells are text or nodes; kept plain so long lists stay cheap
function listTable(label, headers, rows) {
  const head = element("tr", {}, ...headers.map((header) => element("th", {scope: "col", text: header})));
  const body = element("tbody", {}, ...rows.map((row) => element("tr", {}, ...row.map((value) => {
    const td = element("td");
    if (value instanceof Node) td.append(value);
    else {
      td.textContent = displayText(value);
      if (typeof value === "number") td.classList.add("number");
    }
    return td;
  }))));
  return element("table", {class: "results compact", "aria-label": label}, element("thead", {}, head), body);
}

function fact(list, term, value) {
  list.append(element("dt", {text: term}), element("dd", {}, value instanceof Node ? value : String(value ?? "")));
}

function entityText(entity) {
  const parts = Object.entries(entity).filter(([key]) => key !== "$id" && key !== "Type" && key !== "type")
    .map(([key, value]) => `${key}: ${displayText(value)}`);
  return parts.join(", ");
}

function entityNode(entity) {
  return element("li", {}, element("span", {class: "entity-type", text: entity.Type || entity.type || "entity"}),
    ` ${entityText(entity)}`);
}

function investigateLink(alert) {
  const params = new URLSearchParams({query: alert.query, run: "1"});
  if (alert.windowStart && alert.windowEnd) {
    params.set("timespan", `${alert.windowStart}/${alert.windowEnd}`);
    params.set("label", `Alert window ${shortTime(alert.windowStart)} – ${shortTime(alert.windowEnd)}`);
  }
  return `#/logs?${params}`;
}

function investigateButton(alert) {
  // an alert that did not come from a Vigil rule (an ingested Defender alert) has no query to open
  if (!alert.query) return element("span", {class: "help", text: "No query: not raised by a rule"});
  return element("a", {class: "button", href: investigateLink(alert),
    "aria-label": `Investigate ${alert.name}`, text: "Investigate"});
}

function incidentLinks(numbers) {
  if (numbers.length === 0) return "";
  const span = element("span");
  numbers.forEach((number, index) => {
    if (index > 0) span.append(", ");
    span.append(element("a", {href: `#/incidents/${number}`, text: `Incident ${number}`}));
  });
  return span;
}

let ruleNames = null;

async function openAlerts() {
  const select = $("alerts-rule");
  if (select.options.length === 1) {
    const reply = await api("/v1/rules");
    ruleNames = new Map(reply.rules.map((rule) => [rule.id.toLowerCase(), rule.name]));
    for (const [id, name] of [...ruleNames].sort((left, right) => left[1].localeCompare(right[1], "en"))) {
      select.append(element("option", {value: id, text: name}));
    }
  }
  // a rule's "Alerts" link arrives as #/alerts?rule=<id>
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  if (params.has("rule")) {
    select.value = params.get("rule");
    $("alerts-time").value = "";
    history.replaceState(null, "", "#/alerts");
  }
  await loadAlerts();
}

async function loadAlerts() {
  const params = new URLSearchParams();
  for (const [name, id] of [["severity", "alerts-severity"], ["status", "alerts-status"], ["timespan", "alerts-time"],
    ["rule", "alerts-rule"]]) {
    if ($(id).value !== "") params.set(name, $(id).value);
  }
  const reply = await api(`/v1/alerts?${params}`);
  const count = reply.alerts.length;
  $("alerts-count").textContent = `${count} alert${count === 1 ? "" : "s"}${reply.truncated ? " (the newest; narrow the filters for more)" : ""}`;
  $("alert-detail").hidden = true;
  $("alerts-list").replaceChildren(count === 0
    ? element("p", {class: "help", text: "No alerts match these filters."})
    : listTable("Alerts", ["Time", "Severity", "Alert", "Entity", "Status", "Incident"], reply.alerts.map((alert) => [
      shortTime(alert.timeGenerated), severityBadge(alert.severity),
      element("button", {type: "button", class: "link", text: alert.name, onclick: () => showAlert(alert)}),
      alert.compromisedEntity, alert.status, incidentLinks(alert.incidents)])));
}

function showAlert(alert) {
  const box = $("alert-detail");
  const facts = element("dl", {class: "facts"});
  fact(facts, "Severity", severityBadge(alert.severity));
  fact(facts, "Status", alert.status);
  fact(facts, "Rule", alert.ruleName || (ruleNames?.get(alert.ruleId.toLowerCase()) ?? alert.ruleId));
  fact(facts, "Activity", `${shortTime(alert.startTime)} – ${shortTime(alert.endTime)}`);
  if (alert.windowStart) fact(facts, "Query window", `${shortTime(alert.windowStart)} – ${shortTime(alert.windowEnd)}`);
  fact(facts, "Tactics", alert.tactics.join(", "));
  fact(facts, "Product", `${alert.productName} ${alert.productComponentName}`.trim());
  box.replaceChildren(
    element("h2", {text: alert.displayName || alert.name}),
    element("p", {text: alert.description}),
    facts,
    element("h3", {text: "Entities"}),
    element("ul", {class: "entities"}, ...alert.entities.map(entityNode)),
    element("div", {class: "actions"}, investigateButton(alert), incidentLinks(alert.incidents)));
  box.hidden = false;
}

async function loadIncidents() {
  const reply = await api(`${INSIGHTS}/incidents`);
  const incidents = reply.value.map((incident) => incident.properties)
    .sort((left, right) => right.incidentNumber - left.incidentNumber);
  const ownerSelect = $("incidents-owner");
  const owners = [...new Set(incidents.map((incident) => incident.owner?.assignedTo).filter(Boolean))].sort();
  const chosenOwner = ownerSelect.value;
  ownerSelect.replaceChildren(element("option", {value: "", text: "Anyone"}),
    element("option", {value: "-", text: "Unassigned"}),
    ...owners.map((owner) => element("option", {value: owner, text: owner})));
  ownerSelect.value = owners.includes(chosenOwner) || chosenOwner === "-" ? chosenOwner : "";
  const severity = $("incidents-severity").value;
  const status = $("incidents-status").value;
  const owner = ownerSelect.value;
  const range = durationMillis($("incidents-time").value);
  const since = range === null ? null : Date.now() - range;
  const shown = incidents.filter((incident) =>
    (severity === "" || incident.severity === severity)
    && (status === "" || incident.status === status)
    && (owner === "" || (owner === "-" ? !incident.owner?.assignedTo : incident.owner?.assignedTo === owner))
    && (since === null || Date.parse(incident.createdTimeUtc) >= since));
  $("incidents-count").textContent = `${shown.length} of ${incidents.length} incident${incidents.length === 1 ? "" : "s"}`;
  $("incidents-list").replaceChildren(shown.length === 0
    ? element("p", {class: "help", text: "No incidents match these filters."})
    : listTable("Incidents", ["Number", "Title", "Severity", "Status", "Owner", "Alerts", "Created", "Last update"],
      shown.map((incident) => [incident.incidentNumber,
        element("a", {href: `#/incidents/${incident.incidentNumber}`, text: incident.title}),
        severityBadge(incident.severity), incident.status, incident.owner?.assignedTo || "Unassigned",
        incident.additionalData.alertsCount, shortTime(incident.createdTimeUtc), shortTime(incident.lastModifiedTimeUtc)])));
}

async function loadIncident(number) {
  $("incident-error").textContent = "";
  const [incident, alerts, comments, timeline] = await Promise.all([
    api(`${INSIGHTS}/incidents/${number}`),
    api(`/v1/alerts?incident=${number}`),
    api(`${INSIGHTS}/incidents/${number}/comments`),
    api(`/v1/incidents/${number}/timeline`),
  ]);
  const properties = incident.properties;
  $("incident-title").textContent = `Incident ${properties.incidentNumber}: ${properties.title}`;
  $("incident-description").textContent = properties.description;
  const facts = $("incident-facts");
  facts.replaceChildren();
  fact(facts, "Severity", severityBadge(properties.severity));
  fact(facts, "Status", properties.status);
  fact(facts, "Owner", properties.owner?.assignedTo || "Unassigned");
  fact(facts, "Classification", [properties.classification, properties.classificationReason].filter(Boolean).join(" · ") || "—");
  fact(facts, "Activity", `${shortTime(properties.firstActivityTimeUtc)} – ${shortTime(properties.lastActivityTimeUtc)}`);
  fact(facts, "Tactics", properties.additionalData.tactics.join(", "));

  // responders change incidents; a reader is shown none of it (the server refuses a reader's change anyway)
  const responder = hasRole("responder");
  $("incident-edit").hidden = !responder;
  $("incident-comment-form").hidden = !responder;
  $("incident-edit").dataset.number = number;
  if (responder) {
    $("incident-owner").value = properties.owner?.assignedTo || "";
    $("incident-status").value = properties.status;
    $("incident-classification").value = properties.classification || "";
    $("incident-reason").value = properties.classificationReason || "";
    $("incident-classification-comment").value = properties.classificationComment || "";
  }

  $("incident-alerts").replaceChildren(alerts.alerts.length === 0 ? element("p", {class: "help", text: "No alerts."})
    : listTable("Incident alerts", ["Time", "Severity", "Alert", "Entity", "Investigate"], alerts.alerts.map((alert) => [
      shortTime(alert.timeGenerated), severityBadge(alert.severity), alert.name, alert.compromisedEntity,
      investigateButton(alert)])));
  const seen = new Set();
  const entities = [];
  for (const alert of alerts.alerts) {
    for (const entity of alert.entities) {
      const key = `${entity.Type || entity.type} ${entityText(entity)}`;
      if (!seen.has(key)) {
        seen.add(key);
        entities.push(entity);
      }
    }
  }
  $("incident-entities").replaceChildren(...(entities.length === 0 ? [element("li", {class: "help", text: "None."})]
    : entities.map(entityNode)));
  $("incident-comments").replaceChildren(...(comments.value.length === 0 ? [element("li", {class: "help", text: "No comments yet."})]
    : comments.value.map((comment) => element("li", {text: comment.properties.message}))));
  $("incident-timeline").replaceChildren(...timeline.rows.slice().reverse().map((row) => element("li", {},
    element("span", {class: "when", text: shortTime(row.time)}),
    element("span", {class: "who-changed", text: row.modifiedBy}),
    element("ul", {}, ...row.changes.map((change) => element("li", {text: change}))))));
}

async function saveIncident(event) {
  event.preventDefault();
  const number = $("incident-edit").dataset.number;
  const properties = {status: $("incident-status").value};
  if ($("incident-owner").value.trim() !== "") properties.owner = {assignedTo: $("incident-owner").value.trim()};
  for (const [name, id] of [["classification", "incident-classification"], ["classificationReason", "incident-reason"],
    ["classificationComment", "incident-classification-comment"]]) {
    if ($(id).value.trim() !== "") properties[name] = $(id).value.trim();
  }
  // Sentinel asks for a classification when an incident is closed
  if (properties.status === "Closed" && !properties.classification) {
    $("incident-edit-status").textContent = "Choose a classification to close the incident.";
    return;
  }
  $("incident-edit-status").textContent = "Saving…";
  try {
    await api(`${INSIGHTS}/incidents/${number}`, {method: "PUT", body: {properties}});
    $("incident-edit-status").textContent = "Saved";
    await loadIncident(number);
  } catch (error) {
    $("incident-edit-status").textContent = "";
    $("incident-error").textContent = error.status === 403 ? `Not allowed: ${error.message}` : error.message;
  }
}

async function addComment(event) {
  event.preventDefault();
  const number = $("incident-edit").dataset.number;
  const message = $("incident-comment").value.trim();
  if (message === "") return;
  try {
    await api(`${INSIGHTS}/incidents/${number}/comments/${crypto.randomUUID()}`, {method: "PUT",
      body: {properties: {message}}});
    $("incident-comment").value = "";
    await loadIncident(number);
  } catch (error) {
    $("incident-error").textContent = error.status === 403 ? `Not allowed: ${error.message}` : error.message;
  }
}

async function loadRules() {
  $("rules-error").textContent = "";
  const reply = await api("/v1/rules");
  ruleNames = new Map(reply.rules.map((rule) => [rule.id.toLowerCase(), rule.name]));
  const contributor = hasRole("contributor");
  const enabledCount = reply.rules.filter((rule) => rule.enabled).length;
  $("rules-count").textContent = `${reply.rules.length} rules, ${enabledCount} enabled`;
  $("rules-list").replaceChildren(reply.rules.length === 0
    ? element("p", {class: "help", text: "No rules yet: import Sentinel rules with vigil rules import."})
    : listTable("Rules", ["State", "Name", "Severity", "Kind", "Every / over", "Last run", "Next run", "Alerts"],
      reply.rules.map((rule) => [ruleState(rule, contributor),
        element("button", {type: "button", class: "link", text: rule.name, onclick: () => showRule(rule)}),
        severityBadge(rule.severity), rule.kind,
        rule.kind === "NRT" ? "each commit" : `${shortDuration(rule.queryFrequency)} / ${shortDuration(rule.queryPeriod)}`,
        minuteTime(rule.lastRun) || (rule.kind === "NRT" ? "on commit" : "not yet"),
        rule.enabled ? minuteTime(rule.nextRun) || (rule.kind === "NRT" ? "on commit" : "next pass") : "—",
        rule.alerts])));
}

// contributors switch a rule on and off; others see its state only (the server checks the role anyway)
function ruleState(rule, contributor) {
  const label = rule.enabled ? "Enabled" : "Disabled";
  if (!contributor) return element("span", {class: rule.enabled ? "on" : "off", text: label});
  return element("button", {type: "button", class: rule.enabled ? "toggle on" : "toggle off", "aria-pressed": String(rule.enabled),
    "aria-label": `${rule.enabled ? "Disable" : "Enable"} ${rule.name}`, text: label,
    onclick: () => setRuleEnabled(rule, !rule.enabled)});
}

async function setRuleEnabled(rule, enabled) {
  try {
    await api(`/v1/rules/${encodeURIComponent(rule.id)}/enabled`, {method: "PUT", body: {enabled}});
    await loadRules();
  } catch (error) {
    const details = (error.body?.error?.details || []).map((detail) => `${detail.code}: ${detail.message}`);
    $("rules-error").textContent = [error.status === 403 ? `Not allowed: ${error.message}` : error.message, ...details].join("\n");
  }
}

function showRule(rule) {
  const facts = element("dl", {class: "facts"});
  fact(facts, "Id", rule.id);
  fact(facts, "State", rule.enabled ? "Enabled" : "Disabled");
  fact(facts, "Severity", severityBadge(rule.severity));
  fact(facts, "Schedule", rule.kind === "NRT" ? "near real time, on every committed batch"
    : `every ${shortDuration(rule.queryFrequency)} over ${shortDuration(rule.queryPeriod)}`);
  fact(facts, "Trigger", `results ${rule.triggerOperator} ${rule.triggerThreshold}`);
  fact(facts, "Tactics", rule.tactics.join(", "));
  fact(facts, "Techniques", rule.techniques.join(", "));
  if (rule.suppressedUntil) fact(facts, "Suppressed until", shortTime(rule.suppressedUntil));
  fact(facts, "Alerts", rule.lastAlert ? `${rule.alerts}, the last at ${shortTime(rule.lastAlert)}` : "none yet");
  const params = new URLSearchParams({query: rule.query, run: "1"});
  if (rule.kind !== "NRT") params.set("timespan", rule.queryPeriod);
  $("rule-detail").replaceChildren(
    element("h2", {text: rule.name}),
    element("p", {text: rule.description}),
    facts,
    element("h3", {text: "Query"}),
    element("pre", {class: "kql", "aria-label": "Rule query", text: rule.query}),
    element("div", {class: "actions"}, element("a", {class: "button", href: `#/logs?${params}`, text: "Open in Logs"}),
      element("a", {href: `#/alerts?${new URLSearchParams({rule: rule.id.toLowerCase()})}`, text: "Its alerts"})));
  $("rule-detail").hidden = false;
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
  for (const id of ["alerts-severity", "alerts-status", "alerts-time", "alerts-rule"]) {
    $(id).addEventListener("change", () => loadAlerts().catch(showPageError));
  }
  for (const id of ["incidents-severity", "incidents-status", "incidents-owner", "incidents-time"]) {
    $(id).addEventListener("change", () => loadIncidents().catch(showPageError));
  }
  $("alerts-filters").addEventListener("submit", (event) => event.preventDefault());
  $("incidents-filters").addEventListener("submit", (event) => event.preventDefault());
  $("incident-edit").addEventListener("submit", saveIncident);
  $("incident-comment-form").addEventListener("submit", addComment);
  window.addEventListener("hashchange", route);
  route();
}

wire();
