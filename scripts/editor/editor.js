/* The page's SPARQL editor: CodeMirror 6 with its SPARQL mode, completion of the
 * predeclared prefixes, SPARQL keywords and the ontology's terms, and a marker where the
 * server says a query fails to parse. Built into kg/web/static/vendor/editor.min.js by
 * build.sh; the page uses it as `window.kgEditor`.
 */
import { EditorState, Compartment } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
         drawSelection, placeholder } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter } from "@codemirror/lint";

const KEYWORDS = ["SELECT", "DISTINCT", "REDUCED", "CONSTRUCT", "DESCRIBE", "ASK", "WHERE", "OPTIONAL",
  "FILTER", "GRAPH", "UNION", "MINUS", "BIND", "VALUES", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET",
  "ASC", "DESC", "AS", "PREFIX", "BASE", "NOT EXISTS", "EXISTS", "IN", "NOT IN", "COUNT", "SUM", "MIN", "MAX",
  "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR", "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI",
  "COALESCE", "IF", "CONCAT", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "LCASE", "UCASE",
  "REGEX", "REPLACE", "SUBSTR", "STRLEN", "YEAR", "MONTH", "DAY", "NOW", "isIRI", "isLiteral", "isBlank", "UNDEF"];

/* Completions for the word before the cursor: `prefix:local` completes the local names
 * known for that prefix, a bare word the prefixes and keywords. */
function completer(vocabulary) {
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:[\w-]*|[A-Za-z_][\w]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const colon = word.text.indexOf(":");
    if (colon >= 0) {
      const prefix = word.text.slice(0, colon);
      const names = vocabulary.terms[prefix] || [];
      return { from: word.from + colon + 1, validFor: /^[\w-]*$/,
               options: names.map((name) => ({ label: name, type: "property", detail: prefix + ":" })) };
    }
    const prefixes = Object.keys(vocabulary.prefixes).map((name) => ({
      label: name + ":", type: "namespace", detail: vocabulary.prefixes[name], boost: 2 }));
    const keywords = KEYWORDS.map((name) => ({ label: name, type: "keyword" }));
    return { from: word.from, validFor: /^[\w:-]*$/, options: prefixes.concat(keywords) };
  };
}

/* A position as the server reports it (line and column from 1, the column counted in
 * characters, where the editor counts UTF-16 units) as an offset in the text. */
function offsetOf(state, line, column) {
  const at = state.doc.line(Math.max(1, Math.min(line, state.doc.lines)));
  let units = 0;
  let characters = 0;
  for (const character of at.text) {
    if (characters >= column - 1) break;
    units += character.length;
    characters += 1;
  }
  return at.from + units;
}

/* An editor in `parent`. Options: doc, prefixes ({name: namespace}), terms ({prefix:
 * [local names]}), onRun(), onChange(text). */
function create(parent, options) {
  const vocabulary = { prefixes: options.prefixes || {}, terms: options.terms || {} };
  const completion = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc || "",
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
        bracketMatching(), closeBrackets(), lintGutter(), placeholder("SPARQL: SELECT ... WHERE { ... }"),
        StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        completion.of(autocompletion({ override: [completer(vocabulary)] })),
        keymap.of([
          { key: "Mod-Enter", run: () => { if (options.onRun) options.onRun(); return true; } },
          ...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          view.dispatch(setDiagnostics(update.state, []));
          if (options.onChange) options.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "SPARQL query", spellcheck: "false" }),
      ],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    /* Mark the error the server reported at line and column (from 1). */
    markError(line, column, message) {
      const from = offsetOf(view.state, line, column);
      const to = Math.min(from + 1, view.state.doc.length);
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(to, from), severity: "error", message }]),
                    { selection: { anchor: from }, scrollIntoView: true });
    },
    clearError() { view.dispatch(setDiagnostics(view.state, [])); },
    setTerms(terms) { vocabulary.terms = terms; },
    setPrefixes(prefixes) { vocabulary.prefixes = prefixes; },
    focus() { view.focus(); },
  };
}

window.kgEditor = { create };
