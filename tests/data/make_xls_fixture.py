"""Write tests/data/phu_luc_97.xls: the annex of tests/ingest/test_xlsx.py saved as Excel 97 by LibreOffice.

The .xls is written by LibreOffice's own "MS Excel 97" filter (as old annexes were written by office
software, not by a Python library), so the test reads a real BIFF file. Needs Debian
libreoffice-calc-nogui; run from the repository root:

    python -m tests.data.make_xls_fixture
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.xls_bench import soffice_convert
from tests.ingest.test_xlsx import annex

FIXTURE = Path(__file__).with_name("phu_luc_97.xls")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="baocao-xls-") as tmp:
        source = annex(Path(tmp) / "phu_luc_97.xlsx")
        shutil.copyfile(soffice_convert(source, "xls", Path(tmp) / "out"), FIXTURE)
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
