"""Read Word 97-2003 `.doc` files by converting them to .docx with LibreOffice headless.

Older years of a department's archive are `.doc`. LibreOffice (Debian
`libreoffice-writer-nogui`) converts them faithfully, footnotes and tables
included, and the DOCX loader reads the result. The conversion works on a
copy in a temporary directory with its own LibreOffice profile (so it runs
beside a user's open LibreOffice and never touches the original), and is
killed with its whole process group after CONVERT_TIMEOUT_S.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ingest.document import IngestError, LoadedDocument
from vectorstore.settings import child_environment

CONVERT_TIMEOUT_S = 120
ENABLE_HINT = "Để đọc trực tiếp tệp .doc: cài LibreOffice (apt-get install libreoffice-writer-nogui)."
_REFUSAL = "Đây là tệp Word cũ (.doc, Word 97-2003), không phải .docx. Hãy mở bằng Word và lưu lại dưới dạng .docx."


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def load_doc(path: Path) -> LoadedDocument:
    """A `.doc` (OLE2 Word) file read through a LibreOffice conversion to .docx."""
    from ingest.loaders.docx import load_docx

    exe = soffice()
    if exe is None:
        raise IngestError("legacy_doc_format", f"{_REFUSAL} {ENABLE_HINT}")
    with tempfile.TemporaryDirectory(prefix="baocao-doc-") as tmp:
        work = Path(tmp)
        source = work / "vanban.doc"
        shutil.copyfile(path, source)
        converted = _convert(exe, source, work)
        doc = load_docx(converted)
    doc.path, doc.format = path, "doc"
    doc.notes.append("Đã chuyển tệp Word cũ (.doc) sang .docx bằng LibreOffice để đọc.")
    return doc


def _convert(exe: str, source: Path, work: Path) -> Path:
    """Run `soffice --convert-to docx` on `source`; the .docx it wrote, or IngestError."""
    cmd = [exe, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
           "--convert-to", "docx", "--outdir", str(work / "out"), str(source)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env=child_environment(HOME=str(work)))
    try:
        proc.wait(timeout=CONVERT_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc.pid)
        proc.wait()
        raise IngestError(
            "legacy_doc_format",
            f"Chuyển tệp Word cũ (.doc) quá {CONVERT_TIMEOUT_S} giây nên đã dừng. {_REFUSAL}",
        ) from exc
    finally:
        _kill_group(proc.pid)
    out = work / "out" / f"{source.stem}.docx"
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise IngestError("legacy_doc_format", f"LibreOffice không chuyển được tệp Word cũ này. {_REFUSAL}")
    return out


def _kill_group(pid: int) -> None:
    """End whatever the conversion left running (LibreOffice starts helper processes)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
