"""The Gradio app (chat, sources, library). Importing it pins the offline environment first."""

import vectorstore  # noqa: F401 - HF_HUB_OFFLINE, analytics off: must precede the gradio import
