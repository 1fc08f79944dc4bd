// The preview's stylesheet, shared by the standalone page (docbook-render) and the VS Code webview.
// Colours come from VS Code's theme variables; the fallbacks make a standalone page readable in a
// browser's light or dark scheme. High contrast: VS Code sets --vscode-contrastBorder (and the body
// class vscode-high-contrast); browsers in forced-colors mode get system colours.

export const PREVIEW_STYLE = `
:root {
  --dbp-fg: var(--vscode-editor-foreground, #1f2328);
  --dbp-bg: var(--vscode-editor-background, #ffffff);
  --dbp-muted: var(--vscode-descriptionForeground, #59636e);
  --dbp-link: var(--vscode-textLink-foreground, #0969da);
  --dbp-link-active: var(--vscode-textLink-activeForeground, #0550ae);
  --dbp-code-bg: var(--vscode-textCodeBlock-background, #f3f4f6);
  --dbp-quote-bg: var(--vscode-textBlockQuote-background, #f6f8fa);
  --dbp-quote-border: var(--vscode-textBlockQuote-border, #d0d7de);
  --dbp-border: var(--vscode-panel-border, var(--vscode-contrastBorder, #d0d7de));
  --dbp-note: var(--vscode-editorInfo-foreground, #1a7f37);
  --dbp-warning: var(--vscode-editorWarning-foreground, #9a6700);
  --dbp-error: var(--vscode-editorError-foreground, #cf222e);
  --dbp-font: var(--vscode-markdown-font-family, var(--vscode-font-family, -apple-system, "Segoe UI", system-ui, Ubuntu, sans-serif));
  --dbp-mono: var(--vscode-editor-font-family, ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace);
  --dbp-size: var(--vscode-markdown-font-size, 14px);
}
@media (prefers-color-scheme: dark) {
  :root {
    --dbp-fg: var(--vscode-editor-foreground, #e6edf3);
    --dbp-bg: var(--vscode-editor-background, #0d1117);
    --dbp-muted: var(--vscode-descriptionForeground, #9198a1);
    --dbp-link: var(--vscode-textLink-foreground, #4493f8);
    --dbp-link-active: var(--vscode-textLink-activeForeground, #79b8ff);
    --dbp-code-bg: var(--vscode-textCodeBlock-background, #1f242c);
    --dbp-quote-bg: var(--vscode-textBlockQuote-background, #161b22);
    --dbp-quote-border: var(--vscode-textBlockQuote-border, #3d444d);
    --dbp-border: var(--vscode-panel-border, var(--vscode-contrastBorder, #3d444d));
    --dbp-note: var(--vscode-editorInfo-foreground, #3fb950);
    --dbp-warning: var(--vscode-editorWarning-foreground, #d29922);
    --dbp-error: var(--vscode-editorError-foreground, #f85149);
  }
}
html { color-scheme: light dark; }
body {
  margin: 0;
  color: var(--dbp-fg);
  background: var(--dbp-bg);
  font-family: var(--dbp-font);
  font-size: var(--dbp-size);
  line-height: 1.6;
}
.docbook-preview { max-width: 52em; margin: 0 auto; padding: 1em 2em 4em; overflow-wrap: break-word; }
.docbook-preview h1, .docbook-preview h2, .docbook-preview h3, .docbook-preview h4, .docbook-preview h5, .docbook-preview h6 {
  line-height: 1.25; margin: 1.4em 0 0.6em; font-weight: 600;
}
.docbook-preview h1 { font-size: 2em; padding-bottom: 0.3em; border-bottom: 1px solid var(--dbp-border); }
.docbook-preview h2 { font-size: 1.5em; padding-bottom: 0.3em; border-bottom: 1px solid var(--dbp-border); }
.docbook-preview h3 { font-size: 1.25em; }
.docbook-preview h4 { font-size: 1.1em; }
.docbook-preview h5, .docbook-preview h6 { font-size: 1em; }
.docbook-preview p { margin: 0.6em 0; }
.docbook-preview .subtitle { font-size: 1.15em; color: var(--dbp-muted); margin-top: -0.3em; }
.docbook-preview a { color: var(--dbp-link); text-decoration: none; }
.docbook-preview a:hover { color: var(--dbp-link-active); text-decoration: underline; }
.docbook-preview a.unresolved, .docbook-preview .xref.unresolved { color: var(--dbp-error); text-decoration: underline wavy; }
.docbook-preview code, .docbook-preview kbd, .docbook-preview pre { font-family: var(--dbp-mono); font-size: 0.92em; }
.docbook-preview code { background: var(--dbp-code-bg); padding: 0.1em 0.3em; border-radius: 3px; }
.docbook-preview pre code, .docbook-preview pre strong, .docbook-preview pre em { background: none; padding: 0; font-size: 1em; }
.docbook-preview kbd { border: 1px solid var(--dbp-border); border-bottom-width: 2px; border-radius: 3px; padding: 0 0.3em; }
.docbook-preview pre {
  background: var(--dbp-code-bg); padding: 0.8em 1em; border-radius: 4px; overflow-x: auto;
  white-space: pre; line-height: 1.4; border: 1px solid transparent;
}
.docbook-preview pre.literallayout, .docbook-preview pre.address { font-family: inherit; background: none; padding: 0; white-space: pre-wrap; }
.docbook-preview .command, .docbook-preview .userinput { font-weight: 600; }
.docbook-preview .userinput { font-family: var(--dbp-mono); }
.docbook-preview .replaceable { font-style: italic; font-family: var(--dbp-mono); }
.docbook-preview .prompt { background: none; padding: 0; color: var(--dbp-muted); }
.docbook-preview pre .prompt { color: var(--dbp-muted); }
.docbook-preview .guilabel, .docbook-preview .guibutton, .docbook-preview .guimenu, .docbook-preview .guimenuitem, .docbook-preview .guisubmenu { font-weight: 600; }
.docbook-preview .glossterm { font-style: italic; }
.docbook-preview .glossterm[title] { text-decoration: underline dotted; cursor: help; }
.docbook-preview .glossterm[data-unresolved] { text-decoration: none; cursor: auto; }
.docbook-preview .remark { background: var(--dbp-quote-bg); color: var(--dbp-muted); font-style: italic; }
.docbook-preview .remark::before { content: "Remark: "; font-weight: 600; }
.docbook-preview ul, .docbook-preview ol { padding-left: 2em; margin: 0.6em 0; }
.docbook-preview li > p:first-child { margin-top: 0.2em; }
.docbook-preview li > p:last-child { margin-bottom: 0.2em; }
.docbook-preview li.list-extra { list-style: none; }
.docbook-preview dl { margin: 0.6em 0; }
.docbook-preview dt { font-weight: 600; margin-top: 0.6em; }
.docbook-preview dd { margin-left: 2em; }
.docbook-preview dd > p:first-child { margin-top: 0.2em; }
.docbook-preview .title { font-weight: 600; }
.docbook-preview .admonition {
  margin: 1em 0; padding: 0.4em 1em; border-left: 4px solid var(--dbp-note);
  background: var(--dbp-quote-bg); border-radius: 0 4px 4px 0;
}
.docbook-preview .admonition > .admonition-title { margin: 0.2em 0; font-weight: 700; color: var(--dbp-note); }
.docbook-preview .admonition.tip { border-left-color: var(--dbp-link); }
.docbook-preview .admonition.tip > .admonition-title { color: var(--dbp-link); }
.docbook-preview .admonition.important { border-left-color: var(--dbp-warning); }
.docbook-preview .admonition.important > .admonition-title { color: var(--dbp-warning); }
.docbook-preview .admonition.warning, .docbook-preview .admonition.caution, .docbook-preview .admonition.danger { border-left-color: var(--dbp-error); }
.docbook-preview .admonition.warning > .admonition-title, .docbook-preview .admonition.caution > .admonition-title, .docbook-preview .admonition.danger > .admonition-title { color: var(--dbp-error); }
.docbook-preview blockquote { margin: 1em 0; padding: 0 1em; border-left: 4px solid var(--dbp-quote-border); color: var(--dbp-muted); }
.docbook-preview .sidebar { margin: 1em 0; padding: 0.5em 1em; border: 1px solid var(--dbp-border); border-radius: 4px; background: var(--dbp-quote-bg); }
.docbook-preview .figure, .docbook-preview .informalfigure, .docbook-preview .example, .docbook-preview .informalexample,
.docbook-preview .table, .docbook-preview .informaltable, .docbook-preview .equation, .docbook-preview .procedure { margin: 1em 0; }
.docbook-preview .mediaobject { margin: 0.6em 0; }
.docbook-preview img { max-width: 100%; height: auto; }
.docbook-preview .inlinemediaobject img { vertical-align: middle; }
.docbook-preview img[data-scale] { zoom: 1; }
.docbook-preview .caption { color: var(--dbp-muted); font-size: 0.92em; }
.docbook-preview table { border-collapse: collapse; margin: 0.8em 0; display: block; overflow-x: auto; max-width: 100%; }
.docbook-preview th, .docbook-preview td { border: 1px solid var(--dbp-border); padding: 0.3em 0.6em; vertical-align: top; text-align: left; }
.docbook-preview th { background: var(--dbp-quote-bg); font-weight: 600; }
.docbook-preview td > p:first-child, .docbook-preview th > p:first-child { margin-top: 0; }
.docbook-preview td > p:last-child, .docbook-preview th > p:last-child { margin-bottom: 0; }
.docbook-preview .co { font-family: var(--dbp-mono); font-weight: 700; color: var(--dbp-link); }
.docbook-preview .qandaentry dt { font-weight: 600; }
.docbook-preview .qanda-label { font-weight: 700; }
.docbook-preview .footnotes { margin-top: 2em; font-size: 0.9em; color: var(--dbp-muted); }
.docbook-preview .footnotes hr { border: 0; border-top: 1px solid var(--dbp-border); width: 30%; margin-left: 0; }
.docbook-preview .table-footnotes { font-size: 0.9em; color: var(--dbp-muted); border-top: 1px solid var(--dbp-border); margin-top: 0.3em; }
.docbook-preview sup.footnote { line-height: 0; }
.docbook-preview .titlepage { color: var(--dbp-muted); margin: 0.5em 0 1.5em; }
.docbook-preview .copyright { font-size: 0.92em; }
.docbook-preview .indexterm { display: none; }
.docbook-preview .xi-placeholder, .docbook-preview .image-placeholder, .docbook-preview .dbp-problem {
  display: block; margin: 0.6em 0; padding: 0.4em 0.8em; border: 1px dashed var(--dbp-warning);
  color: var(--dbp-warning); border-radius: 4px; font-size: 0.92em;
}
.docbook-preview span.xi-placeholder, .docbook-preview span.image-placeholder { display: inline-block; margin: 0 0.2em; padding: 0 0.4em; }
.docbook-preview .xi-fallback { display: block; border-left: 2px dashed var(--dbp-warning); padding-left: 0.8em; }
.docbook-preview span.xi-fallback { display: inline; }
.docbook-preview .unresolved-entity { color: var(--dbp-error); font-family: var(--dbp-mono); }
.docbook-preview .unknown-element { outline: 1px dotted var(--dbp-muted); }
.docbook-preview .too-deep { white-space: pre-wrap; }
.docbook-preview .generated { color: var(--dbp-muted); font-style: italic; }
.docbook-preview .revhistory td, .docbook-preview .revhistory th { font-size: 0.92em; }
body.vscode-high-contrast .docbook-preview pre, body.vscode-high-contrast .docbook-preview code,
body.vscode-high-contrast .docbook-preview .admonition, body.vscode-high-contrast .docbook-preview .sidebar {
  border: 1px solid var(--vscode-contrastBorder, CanvasText);
}
body.vscode-high-contrast .docbook-preview a { text-decoration: underline; }
@media (forced-colors: active) {
  .docbook-preview pre, .docbook-preview code, .docbook-preview .admonition, .docbook-preview .sidebar { border: 1px solid CanvasText; }
  .docbook-preview a { text-decoration: underline; }
}
`;
