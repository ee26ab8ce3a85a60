"""Command line over the same core the wizard uses, for batch work, tests and support."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app import APP_NAME, __version__


class CliError(Exception):
    """A mistake on the command line; the message (Chinese) is printed, the exit code is 2."""


def _db_path(args) -> Path:
    from desktop_app import paths

    return Path(args.db) if args.db else paths.default_db_path()


#: Stores opened by this command, closed (and so checkpointed) when it ends.
_opened: list = []


def _store(args):
    from desktop_app.core.store import DraftStore

    store = DraftStore(_db_path(args))
    _opened.append(store)
    return store


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: resolved alike, or one file under two names (a hard link)."""
    import os

    try:
        if a.resolve() == b.resolve():
            return True
    except OSError:
        pass
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_out(args, out: Path) -> None:
    """Refuse an output that is the library itself, a folder, or in a folder that does not exist."""
    db = _db_path(args)
    for library in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if _same_file(out, library):
            raise CliError(f"输出文件 {out} 就是草稿库文件本身，写入会毁掉库中所有草稿，已停止。请另选输出文件名。")
    if out.is_dir():
        raise CliError(f"{out} 是一个文件夹，请在 --out 中写出文件名（如 {out / '申报书.docx'}）")
    if not out.parent.is_dir():
        raise CliError(f"输出文件夹 {out.parent} 不存在，请先创建它或另选位置")


def _load_from_store(args, draft_id: str):
    try:
        return _store(args).load(draft_id)
    except KeyError:
        raise CliError(f"库中没有编号为 {draft_id} 的草稿（用 list 查看）") from None


def _source_draft(args):
    """The draft export and check work on: the file of --json, or the library's --draft."""
    from desktop_app.core.exchange import read_draft_file

    if args.json:
        return read_draft_file(args.json)
    if args.draft:
        return _load_from_store(args, args.draft)
    raise CliError("请用 --json 指定草稿文件，或用 --draft 指定库中的草稿编号")


def cmd_export(args) -> int:
    """导出 the same book as the window (app/export.py): a stored draft with its own 版式设置;
    a draft file with the 版式设置 of the same draft in the store, if it is there."""
    from desktop_app.app.export import book_request, write_word

    if args.pdf:  # (--out itself is checked by main, for every command)
        _check_out(args, Path(args.out).with_suffix(".pdf"))
    draft = _source_draft(args)
    # the library whose 版式设置 apply (--draft: the draft's own; --pdf: its pages are kept there)
    request = book_request(_settings_store(args, create=bool(args.pdf)), draft)
    if not args.pdf:
        out = write_word(request, args.out, progress=lambda text: print(text, file=sys.stderr, flush=True))
        print(f"已导出：{out}")
        _warn_unplaced(draft)
        return 0
    code = _export_with_pdf(request, Path(args.out))
    _warn_unplaced(draft)
    return code


def _warn_unplaced(draft) -> None:
    if draft.data.get("unplaced"):  # rule unplaced.pending: not in the book until placed
        print(f"注意：从 Word 导入的内容中还有 {len(draft.data['unplaced'])} 处未归入任何部分，未印入申报书。",
              file=sys.stderr)


def _export_with_pdf(request, out: Path) -> int:
    """export --pdf: the .docx (its 目录 numbered from LibreOffice's layout), the PDF beside
    it, and each part's page range — recorded for the 打印装订清单 (app/export.py) and printed."""
    from desktop_app.app.export import write_word_and_pdf
    from desktop_app.book.bind_sheet import page_ranges
    from desktop_app.book.pdf import PdfError

    draft = request.draft
    pdf = out.with_suffix(".pdf")
    try:
        out, layout = write_word_and_pdf(request, out, pdf,
                                         progress=lambda text: print(text, file=sys.stderr, flush=True))
    except PdfError as exc:
        print(f"已导出：{out}")
        print(f"PDF 未生成：{exc}", file=sys.stderr)
        print(f"Word 申报书已保存：{out}", file=sys.stderr)
        return 3
    print(f"已导出：{out}")
    if layout is None:  # no LibreOffice
        from desktop_app.book.pdf import MISSING_MESSAGE

        print(f"PDF 未生成：{MISSING_MESSAGE}", file=sys.stderr)
        print(f"Word 申报书已保存：{out}", file=sys.stderr)
        return 3
    print(f"已导出：{pdf}")
    if layout.starts:
        from desktop_app.book.compose import compose
        from desktop_app.core.program import get_program

        names = [s.name for s in compose(get_program(draft.program_id), draft).sections]
        ranges = page_ranges(layout.starts, layout.pages)
        print(f"共 {layout.pages} 页（含空白页）：" + "；".join(
            f"{name} 第 {a}—{b} 页" if a != b else f"{name} 第 {a} 页" for name, (a, b) in zip(names, ranges)))
    return 0


def _settings_store(args, create: bool = False):
    """The library whose 版式设置 a draft file is exported with (and where a PDF's pages are
    recorded): the one named by --db, or the default one, when that file exists or `create`
    (else the draft file is exported with the defaults)."""
    from desktop_app.core.store import StoreError

    if not (create or _db_path(args).is_file()):
        return None
    try:
        return _store(args)
    except StoreError as exc:
        print(f"注意：{exc}\n版式按默认设置（GB/T 9704-2012）。", file=sys.stderr)
        return None


def cmd_import(args) -> int:
    """导入草稿文件, as the window's (app/drafts.py); a draft already there only with --replace."""
    from desktop_app.app.drafts import REPLACE, DraftExists, import_draft, read_draft

    draft = read_draft(args.file)
    try:
        draft = import_draft(_store(args), draft, REPLACE if args.replace else None)
    except DraftExists:
        print(f"库中已有编号为 {draft.id} 的草稿；如要覆盖，请加 --replace", file=sys.stderr)
        return 1
    print(f"已导入：{draft.title}（编号 {draft.id}）")
    return 0


def cmd_dump(args) -> int:
    from desktop_app.core.exchange import write_draft_file

    store = _store(args)
    try:
        draft = store.load(args.draft_id)
    except KeyError:
        print(f"库中没有编号为 {args.draft_id} 的草稿（用 list 查看）", file=sys.stderr)
        return 1
    try:
        write_draft_file(draft, args.out)
    except OSError as exc:
        raise CliError(f"无法写入 {args.out}：{_os_reason(exc)}") from exc
    print(f"已保存：{args.out}")
    return 0


def cmd_check(args) -> int:
    """Run the guide's checks; exit 1 when any error is found (for scripts and CI)."""
    import json as _json

    from desktop_app.app.drafts import check, check_lines
    from desktop_app.core.rules import findings_to_json, has_errors

    draft = _source_draft(args)
    findings = check(draft)
    if args.format == "json":
        print(_json.dumps(findings_to_json(findings), ensure_ascii=False, indent=2))
    else:
        print("\n".join(check_lines(findings)))
    return 1 if has_errors(findings) else 0


def _os_reason(exc: OSError) -> str:
    import errno

    return {errno.ENOSPC: "磁盘已满", errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限",
            errno.EROFS: "磁盘是只读的", errno.ENAMETOOLONG: "文件名过长", errno.EISDIR: "这是一个文件夹",
            errno.ENOENT: "文件夹不存在"}.get(exc.errno, "写入失败")


def cmd_list(args) -> int:
    for row in _store(args).list():
        print(f"{row.id}\t{row.updated}\t{row.title}")
    return 0


def cmd_programs(args) -> int:
    """The programs installed in templates/ (PATENT_APP_TEMPLATES overrides), newest first:
    what a new draft can be written for."""
    from desktop_app import paths
    from desktop_app.core.program import available_programs

    programs = available_programs()
    if not programs:
        print(f"没有已安装的申报项目（在 {paths.templates_dir()} 中找不到 program.yaml）", file=sys.stderr)
        return 1
    for p in programs:
        print(f"{p.id}\t{p.name}\t{p.year}年度\t建设期{p.period_years}年\t任务{len(p.tasks)}项")
    return 0


def cmd_import_docx(args) -> int:
    """导入 Word 方案: a Word plan → a new draft file, headings placed as suggested; the report
    says how many paragraphs were placed and how many wait in 未归入."""
    from desktop_app.app.word_import import WordInError, open_word_plan
    from desktop_app.core.exchange import write_draft_file

    try:
        plan = open_word_plan(args.file, args.program)
        draft, report = plan.build(organization=args.org or "", city=args.city or "", year=args.year)
    except WordInError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    write_draft_file(draft, args.out)
    for line in report.lines():
        print(line)
    if draft.data.get("unplaced"):
        print(f"“未归入”中有 {len(draft.data['unplaced'])} 处内容，请在程序的“申报总览”中归入相应部分。")
    print(f"已保存：{args.out}")
    return 0


def cmd_carry_over(args) -> int:
    """从往年草稿新建 from a file: the same carry-over as the window, the review list printed."""
    from desktop_app.core.carry_over import carry_over, review_text
    from desktop_app.core.exchange import read_draft_file, write_draft_file
    from desktop_app.core.program import get_program

    last = read_draft_file(args.json)
    draft = carry_over(last, args.year)
    write_draft_file(draft, args.out)
    print(f"已由 {last.year} 年度草稿新建 {args.year} 年度草稿：{args.out}")
    program = get_program(draft.program_id)
    print(review_text(draft, program))
    from desktop_app.core.rules import check_program_year

    for finding in check_program_year(program, draft):
        print(f"\n注意：{finding.message}")
    return 0


def cmd_gui(args) -> int:
    from desktop_app.ui.app import run

    return run(db_path=Path(args.db) if args.db else None, open_sample=args.sample)


def build_parser() -> argparse.ArgumentParser:
    from desktop_app import cli_words

    cli_words.install()  # usage and error lines in Chinese, as the rest of the program
    parser = argparse.ArgumentParser(prog="python -m desktop_app", description=f"{APP_NAME} {__version__}")
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--db", help="草稿库文件（默认在用户数据文件夹）")
    parser.add_argument("--self-test", action="store_true",
                        help="自检：打开示例草稿、导出 Word 申报书到临时文件夹并检查，成功时退出代码为 0")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("gui", help="打开程序窗口（默认）")
    p.add_argument("--sample", action="store_true", help="打开示例草稿")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("export", help="导出 Word 申报书")
    p.add_argument("--json", help="草稿文件 (.json)")
    p.add_argument("--draft", help="库中的草稿编号")
    p.add_argument("--out", required=True, help="输出的 .docx 文件")
    p.add_argument("--pdf", action="store_true",
                   help="同时用 LibreOffice 生成同名 .pdf（失败时退出代码 3，.docx 保留）")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="把草稿文件导入草稿库")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="覆盖同编号的草稿")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("dump-json", help="把库中的草稿存为 .json 文件")
    p.add_argument("draft_id")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser("check", help="按指南检查草稿（有错误时退出码为 1）")
    p.add_argument("--json", help="草稿文件 (.json)")
    p.add_argument("--draft", help="库中的草稿编号")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("list", help="列出库中的草稿")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("import-docx", help="导入 Word 方案（.docx，装有 LibreOffice 时也可 .doc/.wps/.odt）为新草稿文件")
    p.add_argument("file", help="Word 方案文件")
    p.add_argument("--program", required=True, help="申报项目编号（用 programs 查看），如 key_city_2021")
    p.add_argument("--out", required=True, help="输出的草稿文件 (.json)")
    p.add_argument("--org", help="申报单位（默认取自文件封面）")
    p.add_argument("--city", help="所在城市（默认取自申报单位或方案标题）")
    p.add_argument("--year", type=int, help="申报年度（默认为项目的年度）")
    p.set_defaults(func=cmd_import_docx)

    p = sub.add_parser("programs", help="列出已安装的申报项目（编号、名称、年度、建设期、任务数）")
    p.set_defaults(func=cmd_programs)

    p = sub.add_parser("carry-over", help="从往年草稿新建：建设期年份顺延，往年数据标为待更新，列出核对清单")
    p.add_argument("--json", required=True, help="上年的草稿文件")
    p.add_argument("--year", required=True, type=int, help="新的申报年度，如 2022")
    p.add_argument("--out", required=True, help="新草稿文件")
    p.set_defaults(func=cmd_carry_over)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from desktop_app.selftest import run_self_test

        return run_self_test()
    if not getattr(args, "func", None):  # no subcommand: open the window
        args.func, args.sample = cmd_gui, False
    if args.func is cmd_gui:
        # The window shows its own messages; importing the export stack (python-docx)
        # for the handler below would add about 50 ms to every start.
        return cmd_gui(args)

    from desktop_app.book.export import ExportError
    from desktop_app.core.exchange import DraftFormatError
    from desktop_app.core.program import ProgramError
    from desktop_app.core.store import StoreError
    from desktop_app.core.textrender import TemplateTextError

    try:
        if isinstance(getattr(args, "out", None), str):
            # Every command that writes a file: never onto the library, a folder or nowhere.
            _check_out(args, Path(args.out))
        return args.func(args)
    except (DraftFormatError, StoreError, ExportError, ProgramError, TemplateTextError, CliError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        while _opened:
            _opened.pop().close()
