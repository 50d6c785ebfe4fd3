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
.bc-quote { margin: 0; padding: 0.3rem 0.6rem; border-left: 3px solid var(--color-accent);
            white-space: pre-wrap; font-size: 0.92em; max-height: 16rem; overflow-y: auto; }
.bc-quote mark { background: #ffe58a; color: #000; padding: 0 2px; border-radius: 2px; }
.bc-src-foot { margin-top: 0.4rem; font-size: 0.85em; display: flex; gap: 0.8rem; flex-wrap: wrap; }
.bc-file { color: var(--body-text-color-subdued); font-size: 0.85em; }
.bc-near-note { font-style: italic; margin-bottom: 0.5rem; }
.bc-lib { width: 100%; border-collapse: collapse; font-size: 0.9em; }
.bc-lib th, .bc-lib td { border-bottom: 1px solid var(--border-color-primary); padding: 0.35rem 0.5rem;
                         text-align: left; vertical-align: top; }
.bc-lib-count { font-weight: 600; margin-bottom: 0.4rem; }
.bc-warn { color: #b45309; }
#bc-footer { font-size: 0.85em; color: var(--body-text-color-subdued); border-top: 1px solid
             var(--border-color-primary); padding-top: 0.4rem; }
"""
