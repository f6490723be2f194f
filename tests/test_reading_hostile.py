"""Hostile inputs at the readers: every bad record is one ReadError, the rest are read.

Each case is one a hostile QA run found killing a whole batch or hanging it: a lone
surrogate escape, JSON nested 100,000 deep, a FIFO or a device among the files, a symlink
loop under ``**``, fields of the wrong type, a two-million-character title. UTF-16 with a
byte-order mark, refused as "binary" before, is read.
"""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

import pytest

from saidwhat.reading.formats import read_html
from saidwhat.reading.readers import iter_inputs, read_path
from saidwhat.reading.records import ReadError, decode_bytes, read_bounded

STORY = "Moscow, Dec 11 (IANS) Kremlin spokesman Dmitry Peskov said the talks would go on."


def kinds(items: list[object]) -> list[str]:
    return [type(i).__name__ for i in items]


def read_all(paths: list[str], seconds: float = 20.0) -> list[object]:
    """iter_inputs in a thread, so that a reader that blocks fails the test, not hangs it."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.extend(iter_inputs(paths)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "reading blocked"
    return result


def test_a_lone_surrogate_costs_its_record_only(tmp_path: Path) -> None:
    good = json.dumps({"text": STORY})
    f = tmp_path / "feed.jsonl"
    f.write_text(f'{good}\n{{"text": "bad \\ud800 said he"}}\n{good}\n', encoding="utf-8")
    items = list(read_path(f))
    assert kinds(items) == ["Article", "ReadError", "Article"]
    assert str(items[1]) == f"{f}:line 2: 'text' holds a lone surrogate \\ud800 at offset 4"

    g = tmp_path / "list.json"
    g.write_text(f'[{good}, {{"text": "{STORY}", "title": "\\udfff"}}]', encoding="utf-8")
    items = list(read_path(g))
    assert kinds(items) == ["Article", "ReadError"]
    assert "'title' holds a lone surrogate \\udfff" in str(items[1])


def test_json_nested_too_deep_is_one_error(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    f = tmp_path / "deep.json"
    f.write_text(deep, encoding="utf-8")
    (err,) = read_path(f)
    assert isinstance(err, ReadError) and err.reason == "invalid JSON (nested too deeply)"
    g = tmp_path / "deep.jsonl"
    g.write_text(json.dumps({"text": STORY}) + "\n" + deep + "\n", encoding="utf-8")
    assert kinds(list(read_path(g))) == ["Article", "ReadError"]


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        f = tmp_path / f"{codec}.txt"
        f.write_bytes(bom + STORY.encode(codec))
        (art,) = read_path(f)
        assert art.text == STORY and art.agency == "IANS"
    lines = tmp_path / "utf16.jsonl"
    lines.write_bytes(b"\xff\xfe" + (json.dumps({"text": STORY}) + "\n").encode("utf-16-le") * 2)
    assert kinds(list(read_path(lines))) == ["Article", "Article"]
    # a UTF-8 file that merely starts with those bytes is still reported as broken UTF-8
    with pytest.raises(ReadError, match="not UTF-8"):
        decode_bytes(b"\xff\xfe bad", "x.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifos_and_devices_are_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    os.mkfifo(tmp_path / "b_pipe.txt")
    (tmp_path / "c_zero.txt").symlink_to("/dev/zero")
    (tmp_path / "d.txt").write_text(STORY, encoding="utf-8")
    items = read_all([str(tmp_path)])
    assert kinds(items) == ["Article", "ReadError", "ReadError", "Article"]
    assert items[1].reason == "a FIFO (named pipe), not a regular file: not read"
    assert items[2].reason == "a character device, not a regular file: not read"
    (direct,) = read_all(["/dev/zero"])
    assert isinstance(direct, ReadError) and "character device" in direct.reason


def test_reading_stops_at_the_byte_limit_whatever_the_size_says() -> None:
    assert read_bounded(io.BytesIO(b"x" * 10), 10, "f") == b"x" * 10
    with pytest.raises(ReadError, match="over 10 bytes"):
        read_bounded(io.BytesIO(b"x" * 11), 10, "f")
    with open("/dev/zero", "rb") as zero, pytest.raises(ReadError, match="over 1,000 bytes"):
        read_bounded(zero, 1000, "/dev/zero")


def test_each_real_file_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)  # loop/loop/loop/... under **
    items = read_all([str(tmp_path / "**" / "*.txt")])
    assert kinds(items) == ["Article"]
    items = read_all([str(tmp_path), str(tmp_path / "a.txt"), str(tmp_path / "*.txt")])
    assert kinds(items) == ["Article"]


def test_fields_of_the_wrong_type_or_size_are_refused_by_name(tmp_path: Path) -> None:
    records = [
        {"text": STORY, "title": 123},
        {"text": STORY, "date": ["2025-12-11"]},
        {"body": 5},
        {"text": STORY, "title": "t" * 2_000_000},
        {"text": STORY, "url": "https://example.org/" + "x" * 3000},
        {"text": STORY, "title": "Fine", "source": "Daily Example"},
    ]
    f = tmp_path / "typed.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = list(read_path(f))
    assert [getattr(i, "reason", None) for i in items[:5]] == [
        "'title' is int, not a string",
        "'date' is list, not a string",
        "'body' is int, not a string",
        "'title' is 2,000,000 characters; the limit is 500",
        "'url' is 3,020 characters; the limit is 2,000",
    ]
    assert items[5].title == "Fine" and items[5].source == "Daily Example"


def test_a_page_title_is_cut_to_its_limit() -> None:
    html = (
        f"<html><head><title>{'Headline ' * 100_000}</title></head><body><article>"
        f"<p>{STORY} He added that the delegations would meet again in Geneva on Monday.</p>"
        "</article></body></html>"
    )
    art = read_html(html, "page.html")
    assert art.title is not None and len(art.title) <= 500 and art.title.endswith("…")


def test_a_utf16_jsonl_over_the_limit_is_refused_not_cut(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lines = tmp_path / "big16.jsonl"
    lines.write_bytes(b"\xff\xfe" + (json.dumps({"text": STORY}) + "\n").encode("utf-16-le") * 4)
    monkeypatch.setattr("saidwhat.reading.formats.MAX_FILE_BYTES", 300)
    (err,) = read_path(lines)
    assert isinstance(err, ReadError) and err.reason == "file is over 300 bytes, the limit"
