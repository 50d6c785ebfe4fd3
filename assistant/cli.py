"""The `baocao` command line (DESIGN.md contract): ingest, ask, serve, eval, docs, doctor, refs, series."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import vectorstore  # noqa: F401 - pins the offline / no-telemetry environment first
from assistant import console
from vectorstore.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(getattr(args, "index", None))


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.job import run_ingest
    from vectorstore.index import open_index

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        console.error("Không tìm thấy: " + ", ".join(missing))
        return 2
    index = open_index(_settings(args))
    with console.IngestProgress(enabled=not args.quiet) as progress:
        report = run_ingest(index, paths, progress, reset=args.reset, password=args.password)
    if args.json:
        print(json.dumps(console.ingest_summary(report), ensure_ascii=False, indent=1))
    else:
        console.print_ingest_report(report)
    return 0 if report.count("refused") < len(report.results) or not report.results else 1


def cmd_docs(args: argparse.Namespace) -> int:
    from ingest.job import remove_document
    from vectorstore.index import open_index

    index = open_index(_settings(args))
    if args.remove:
        ok = remove_document(index, Path(args.remove).name)
        console.say(f"Đã xóa {args.remove} khỏi chỉ mục." if ok else f"Không có tài liệu {args.remove} trong chỉ mục.")
        return 0 if ok else 1
    records = index.store.list_documents()
    if args.json:
        print(json.dumps([console.doc_summary(r) for r in records], ensure_ascii=False, indent=1))
    else:
        console.print_docs(records)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.service import AskService

    service = AskService(_settings(args))
    if args.batch:
        if not args.out:
            console.error("--batch cần --out OUT.jsonl")
            return 2
        n = service.ask_batch(Path(args.batch), Path(args.out))
        console.say(f"Đã trả lời {n} câu hỏi → {args.out}")
        return 0
    if not args.question:
        console.error("Hãy nhập câu hỏi, ví dụ: baocao ask \"Tổng mức bán lẻ quý I/2023 là bao nhiêu?\"")
        return 2
    record = service.ask(args.question)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=1))
    else:
        console.print_answer(record)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant import ratchet
    from assistant.evaluate import run_eval

    settings = _settings(args)
    summaries = {Path(qa).stem: run_eval(settings, Path(qa)) for qa in args.qa}
    if args.json:
        single = len(summaries) == 1 and not args.ratchet
        print(json.dumps(next(iter(summaries.values())) if single else summaries, ensure_ascii=False, indent=1))
    else:
        for name, summary in summaries.items():
            console.print_eval(summary, name)
    if not args.ratchet:
        return 0
    path = Path(args.ratchet)
    floors = ratchet.load(path)
    if args.update_ratchet:
        ratchet.save(path, ratchet.raised(floors, summaries))
        return 0
    below = ratchet.shortfalls(floors, summaries)
    for line in below:
        console.out.print(f"[red]Dưới mức đã đạt:[/] {line}")
    return 1 if below else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.app import serve  # lazily: the CLI must not pull the UI in for other commands

    serve(_settings(args), host=args.host, port=args.port)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from ingest.doctor import check_and_repair
    from vectorstore.index import open_index

    findings = check_and_repair(open_index(_settings(args)), repair=not args.check_only)
    console.print_doctor(findings)
    return 0 if findings.ok or not args.check_only else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="baocao", description="Hỏi đáp có trích dẫn trên báo cáo của Sở Công Thương")
    p.add_argument("-v", "--verbose", action="store_true", help="ghi log chi tiết")
    sub = p.add_subparsers(dest="command", required=True)

    def with_index(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--index", help="thư mục chỉ mục (mặc định $BAOCAO_INDEX hoặc ./data/index)")
        return sp

    sp = with_index(sub.add_parser("ingest", help="nạp báo cáo (PDF, DOCX, TXT, MD) vào chỉ mục"))
    sp.add_argument("paths", nargs="+", help="tệp hoặc thư mục")
    sp.add_argument("--reset", action="store_true", help="xóa chỉ mục cũ rồi nạp lại")
    sp.add_argument("--password", help="mật khẩu cho PDF được bảo vệ")
    sp.add_argument("-q", "--quiet", action="store_true", help="không hiện thanh tiến trình")
    sp.add_argument("--json", action="store_true", help="in kết quả từng tệp dạng JSON")
    sp.set_defaults(func=cmd_ingest)

    sp = with_index(sub.add_parser("ask", help="đặt câu hỏi"))
    sp.add_argument("question", nargs="?")
    sp.add_argument("--json", action="store_true", help="in bản ghi trả lời dạng JSON")
    sp.add_argument("--batch", help="tệp JSONL {id, question}")
    sp.add_argument("--out", help="tệp JSONL kết quả cho --batch")
    sp.set_defaults(func=cmd_ask)

    sp = with_index(sub.add_parser("serve", help="mở ứng dụng web"))
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=7860)
    sp.set_defaults(func=cmd_serve)

    sp = with_index(sub.add_parser("eval", help="đánh giá trên bộ câu hỏi có đáp án"))
    sp.add_argument("--qa", required=True, nargs="+", help="một hoặc nhiều bộ câu hỏi (JSONL)")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--ratchet", help="tệp mức đã đạt: thoát với mã 1 nếu một bộ câu hỏi tụt dưới mức")
    sp.add_argument("--update-ratchet", action="store_true", help="nâng mức đã đạt lên kết quả lần này")
    sp.set_defaults(func=cmd_eval)

    sp = with_index(sub.add_parser("docs", help="liệt kê các báo cáo đã nạp"))
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--remove", metavar="FILE", help="xóa một báo cáo khỏi chỉ mục")
    sp.set_defaults(func=cmd_docs)

    sp = with_index(sub.add_parser("doctor", help="kiểm tra và sửa độ khớp giữa Chroma và chỉ mục từ khóa"))
    sp.add_argument("--check-only", action="store_true")
    sp.set_defaults(func=cmd_doctor)

    from assistant.facts_cli import add_parsers

    add_parsers(sub, with_index, _settings)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        console.error("Đã dừng.")
        return 130
    except Exception as exc:  # noqa: BLE001 - plain words for people, the trace with -v
        from assistant.errors import user_message

        if args.verbose:
            raise
        console.error(user_message(exc, getattr(args, "index", None)))
        return 1


if __name__ == "__main__":
    sys.exit(main())
