"""Look of the app: a theme with system fonts only (no font or CDN request) and a little CSS."""

from __future__ import annotations

import gradio as gr

SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Consolas", "Liberation Mono", "monospace"]


def theme() -> gr.themes.Base:
    """Gradio's default look with local fonts: the stock theme would fetch Google Fonts."""
    return gr.themes.Default(primary_hue="blue", font=SYSTEM_FONTS, font_mono=MONO_FONTS)


CSS = """
#bc-sources-col { max-height: 78vh; overflow-y: auto; }
.bc-sources-empty, .bc-lib-empty { color: var(--body-text-color-subdued); padding: 0.5rem 0; }
.bc-src { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6rem 0.8rem;
          margin-bottom: 0.7rem; background: var(--background-fill-secondary); }
.bc-src-head { font-weight: 600; }
.bc-n { color: var(--color-accent); margin-right: 0.25rem; }
.bc-src-meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 0.2rem 0 0.4rem; }
.bc-quote { position: relative; margin: 0; padding: 0.3rem 0.6rem; border-left: 3px solid var(--color-accent);
            white-space: pre-wrap; font-size: 0.92em; max-height: 16rem; overflow-y: auto; }
.bc-quote mark { background: #ffe58a; color: #000; padding: 0 2px; border-radius: 2px; }
.bc-src-foot { margin-top: 0.4rem; font-size: 0.85em; display: flex; gap: 0.8rem; flex-wrap: wrap; }
.bc-ocr { color: #9a3412; font-style: italic; white-space: nowrap; }
.bc-unverified { background: #fde2e1; color: #7f1d1d; border-bottom: 2px dashed #b91c1c; padding: 0 2px; }
.bc-unverified-note { font-size: 0.85em; color: #7f1d1d; margin: 0 0 0.4rem; }
.bc-file { color: var(--body-text-color-subdued); font-size: 0.85em; }
.bc-near-note { font-style: italic; margin-bottom: 0.5rem; }
.bc-panel > summary { font-weight: 600; font-size: 1.05em; cursor: pointer; margin-bottom: 0.5rem; }
/* a refusal and a question asked back never look like an answer */
.bc-refusal { border: 2px dashed #b45309; background: #fff7ed; color: #431407; border-radius: 8px;
              padding: 0.5rem 0.7rem; }
.bc-refusal-head { font-weight: 700; color: #9a3412; }
.bc-refusal-head::before { content: "⚠ "; }
.bc-ask { border-left: 4px solid #7c3aed; background: #f5f3ff; color: #2e1065; padding: 0.5rem 0.7rem;
          border-radius: 6px; font-weight: 500; }
.bc-ask::before { content: "? "; font-weight: 700; color: #7c3aed; }
.bc-near .bc-src { border-style: dashed; background: transparent; opacity: 0.85; }
.bc-near .bc-n { color: var(--body-text-color-subdued); }
.bc-near-note { color: #9a3412; }
/* the answer arrives whole; the browser eases it in (no worker sleeps to pace it) */
#bc-chat .message-row:last-child .message.bot { animation: bc-reveal 0.5s ease-out; }
@keyframes bc-reveal { from { opacity: 0; transform: translateY(4px); } to { opacity: 1; transform: none; } }
/* tables scroll inside themselves; words and numbers are never broken */
.bc-scroll-x, .bc-lib-wrap { overflow-x: auto; max-width: 100%; }
.bc-scroll-x table, .bc-lib { word-break: normal; overflow-wrap: normal; hyphens: none; }
.bc-scroll-x td, .bc-scroll-x th, .bc-lib td, .bc-lib th { word-break: normal !important;
    overflow-wrap: normal !important; }
.bc-scroll-x .prose table { display: block; overflow-x: auto; }
.bc-nw { white-space: nowrap; }
.bc-charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.bc-figure { margin: 0; flex: 1 1 420px; min-width: 0; max-width: 820px; }
.bc-figure figcaption { font-size: 0.9em; color: var(--body-text-color-subdued); }
.bc-chart { width: 100%; height: auto; font-size: 11px; }
.bc-chart .bc-grid { stroke: var(--border-color-primary); }
.bc-chart text { fill: var(--body-text-color); }
.bc-chart .bc-line { stroke-width: 2; }
.bc-legend { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; font-size: 0.85em; }
.bc-key i { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; margin-right: 0.3em; }
.bc-chart-empty { color: var(--body-text-color-subdued); }
.bc-progress { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6rem 0.8rem; }
.bc-progress progress { width: 100%; height: 1.1rem; }
.bc-progress-line { font-size: 0.9em; margin-top: 0.3rem; }
#bc-logout { text-align: right; }
.bc-lib { width: 100%; border-collapse: collapse; font-size: 0.9em; }
.bc-lib th, .bc-lib td { border-bottom: 1px solid var(--border-color-primary); padding: 0.35rem 0.5rem;
                         text-align: left; vertical-align: top; }
.bc-lib-count { font-weight: 600; margin-bottom: 0.4rem; }
.bc-warn { color: #b45309; }
#bc-footer { font-size: 0.85em; color: var(--body-text-color-subdued); border-top: 1px solid
             var(--border-color-primary); padding-top: 0.4rem; }
@media (max-width: 700px) {
  /* the four tabs fit a phone's width instead of hiding two behind "⋯" */
  .tab-container button { padding-left: 0.45rem !important; padding-right: 0.45rem !important; }
  /* one column on a phone: the answer, its sources, the question box, then the rest */
  #bc-chat-row, #bc-refs-row, #bc-upload-row { flex-direction: column !important; flex-wrap: nowrap !important; }
  #bc-upload { min-height: 3rem; }
  #bc-chat-row > *, #bc-refs-row > *, #bc-upload-row > * { width: 100% !important; min-width: 0 !important;
                                                           max-width: 100% !important; }
  #bc-chat-main { display: contents !important; }
  #bc-chat { order: 1; height: auto !important; min-height: 12rem; max-height: none !important; }
  #bc-sources-col { order: 2; max-height: none; overflow: visible; }
  #bc-ask-row { order: 3; }
  #bc-new { order: 4; }
  #bc-examples { order: 5; }
  #bc-filters { order: 6; }
  .bc-quote { max-height: 10rem; }
  /* tables and the chart keep a readable size and scroll sideways inside themselves */
  .bc-scroll-x td, .bc-scroll-x th, .bc-lib td, .bc-lib th { min-width: 6.5rem; }
  .bc-figure { overflow-x: auto; }
  .bc-chart { min-width: 620px; }
}
"""
