// The KQL editor of the Logs page: CodeMirror 6 with a small KQL tokenizer for highlighting, completion
// from the server's engine catalog and diagnostics from the server's compile. The page (app.js) passes
// the catalog and a lint function in; nothing here knows a table, function or operator name by heart.
import {EditorState} from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  placeholder,
} from "@codemirror/view";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {
  StreamLanguage, syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput,
} from "@codemirror/language";
import {tags} from "@lezer/highlight";
import {autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion} from "@codemirror/autocomplete";
import {linter, lintGutter, lintKeymap, forceLinting} from "@codemirror/lint";

// words the tokenizer marks as keywords besides the catalog's operators: clause words of operators
const CLAUSE_WORDS = [
  "by", "on", "kind", "with", "and", "or", "not", "asc", "desc", "nulls", "first", "last", "let", "true",
  "false", "to", "step", "from", "in", "has", "contains", "startswith", "endswith", "matches", "regex",
  "between", "has_any", "has_all", "in~", "inner", "leftouter", "rightouter", "fullouter", "leftanti",
  "rightanti", "leftsemi", "rightsemi", "innerunique", "withsource", "timechart", "barchart",
  "columnchart", "piechart", "table", "datetime", "timespan", "dynamic", "ago", "now",
];

function kqlLanguage(catalog) {
  const operators = new Set(catalog.operators.map((operator) => operator.name.toLowerCase()));
  const functions = new Set(catalog.functions.map((fn) => fn.name.toLowerCase()));
  const tables = new Set(catalog.tables.map((table) => table.name));
  const clauses = new Set(CLAUSE_WORDS);
  return StreamLanguage.define({
    name: "kql",
    token(stream) {
      if (stream.eatSpace()) return null;
      if (stream.match("//")) {
        stream.skipToEnd();
        return "comment";
      }
      const quote = stream.peek();
      if (quote === "\"" || quote === "'") {
        stream.next();
        let escaped = false;
        while (!stream.eol()) {
          const next = stream.next();
          if (next === quote && !escaped) break;
          escaped = next === "\\" && !escaped;
        }
        return "string";
      }
      if (stream.match(/^[0-9]+(\.[0-9]+)?(d|h|m|s|ms|tick|microsecond)?\b/)) return "number";
      if (stream.match(/^[A-Za-z_][A-Za-z0-9_-]*(?=\s*\()/)) return "function";
      if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*(-[a-z]+)*/)) {
        const word = stream.current();
        const lower = word.toLowerCase();
        if (operators.has(lower) || clauses.has(lower)) return "keyword";
        if (tables.has(word)) return "typeName";
        if (functions.has(lower)) return "function";
        return "variableName";
      }
      if (stream.match("|")) return "operator";
      stream.next();
      return null;
    },
    languageData: {commentTokens: {line: "//"}},
    tokenTable: {function: tags.function(tags.variableName), typeName: tags.typeName},
  });
}

const highlightStyle = HighlightStyle.define([
  {tag: tags.keyword, class: "tok-keyword"},
  {tag: tags.string, class: "tok-string"},
  {tag: tags.number, class: "tok-number"},
  {tag: tags.comment, class: "tok-comment"},
  {tag: tags.function(tags.variableName), class: "tok-function"},
  {tag: tags.typeName, class: "tok-table"},
  {tag: tags.operator, class: "tok-operator"},
]);

// the table a completion position reads from: the first word of the query's last statement
function tableInScope(text, catalog) {
  const statements = text.split(";");
  const last = statements[statements.length - 1];
  const match = /^\s*(?:\/\/[^\n]*\n\s*)*([A-Za-z_][A-Za-z0-9_]*)/.exec(last);
  if (!match) return null;
  return catalog.tables.find((table) => table.name === match[1]) || null;
}

function completionSource(catalog) {
  const tableOptions = catalog.tables.map((table) => ({
    label: table.name, type: "class", detail: table.rowCount === undefined ? "table" : `table, ${table.rowCount} rows`,
  }));
  const operatorOptions = catalog.operators.map((operator) => ({
    label: operator.name, type: "keyword", detail: "operator", info: operator.example,
  }));
  const functionOptions = catalog.functions.map((fn) => ({
    label: fn.name, type: "function", detail: fn.kind.toLowerCase(), apply: `${fn.name}(`,
  }));
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_-]*/);
    if (!word && !context.explicit) return null;
    const from = word ? word.from : context.pos;
    const before = context.state.sliceDoc(0, from);
    // right after a pipe only operators fit; at the start only tables; elsewhere columns and functions
    if (/\|\s*$/.test(before)) return {from, options: operatorOptions, validFor: /^[A-Za-z_-]*$/};
    if (/^\s*$/.test(before) || /;\s*$/.test(before)) return {from, options: tableOptions, validFor: /^\w*$/};
    const table = tableInScope(context.state.doc.toString(), catalog);
    const columnOptions = table
      ? table.columns.map((column) => ({label: column.name, type: "property", detail: column.type, boost: 2}))
      : [];
    return {from, options: [...columnOptions, ...functionOptions, ...tableOptions], validFor: /^\w*$/};
  };
}

/**
 * Creates the editor in {@code parent}. {@code lint(text)} resolves to CodeMirror diagnostics
 * ({from, to, severity, message}); {@code onRun()} runs the query (Shift+Enter or Ctrl+Enter);
 * {@code nonce} is the page's Content-Security-Policy nonce for CodeMirror's style element.
 */
export function createKqlEditor({parent, doc, catalog, lint, onRun, label, nonce}) {
  const runKeys = [
    {key: "Shift-Enter", run: () => { onRun(); return true; }},
    {key: "Mod-Enter", run: () => { onRun(); return true; }},
  ];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        placeholder("SigninLogs | where ResultType != \"0\" | take 10"),
        kqlLanguage(catalog),
        syntaxHighlighting(highlightStyle),
        autocompletion({override: [completionSource(catalog)], activateOnTyping: true}),
        linter((view) => lint(view.state.doc.toString()), {delay: 400}),
        lintGutter(),
        keymap.of([...runKeys, ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap,
          ...completionKeymap, ...lintKeymap, indentWithTab]),
        EditorView.contentAttributes.of({"aria-label": label || "KQL query"}),
        EditorView.lineWrapping,
        // CodeMirror puts its base styles in a <style> element: the page's CSP admits it by this nonce
        EditorView.cspNonce.of(nonce || ""),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}}),
    focus: () => view.focus(),
    relint: () => forceLinting(view),
    complete: () => startCompletion(view),
  };
}
