"""Storage and search: Chroma, embeddings, the lexical index and fusion.

Importing this package pins the offline/no-telemetry environment that every
entry point needs (a hub lookup otherwise takes ~46 s to fail here, and Chroma
and Gradio phone home by default).
"""

import logging
import os

for _name, _value in (
    ("HF_HUB_OFFLINE", "1"),
    ("ANONYMIZED_TELEMETRY", "False"),
    ("GRADIO_ANALYTICS_ENABLED", "False"),
    ("TOKENIZERS_PARALLELISM", "false"),
):
    os.environ.setdefault(_name, _value)

# bm25s sets its own logger to DEBUG when imported ("Building index from tokens" on every query);
# a filter outlives that setLevel call.
logging.getLogger("bm25s").addFilter(lambda record: record.levelno >= logging.WARNING)
