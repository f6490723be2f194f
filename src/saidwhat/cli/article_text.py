"""The article as ``saidwhat article ID`` prints it: its text with every statement marked.

Apart from ``views`` (tables and timelines) because this is the one rendering that
styles text in place: content coloured by act, cues and speaker mentions styled, and
``[n]`` … ``[/n]`` around each piece of content so the extent shows without colour too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from saidwhat.cli.views import act_cell, act_style, chain_text

if TYPE_CHECKING:  # the types only: rendering needs no SQL at import time
    from saidwhat.query import ArticleDetail, ArticleEntity, StatementRow


def marked_text(
    text: str, statements: Sequence[StatementRow], entities: Sequence[ArticleEntity] = ()
) -> Text:
    """The article text with content coloured by act, cues bold, speaker mentions bold
    underlined, other entity mentions underlined, ``[n]`` … ``[/n]`` around each content."""
    body = Text(text)
    for e in entities:
        for m in e.mentions:
            body.stylize("underline", m["start"], m["end"])
    for st in statements:
        for span in st.content_spans or [{"start": st.start, "end": st.end}]:
            body.stylize(act_style(st.act), span["start"], span["end"])
        if st.cue_span:
            body.stylize("bold italic", *st.cue_span)
        if st.speaker_span:
            body.stylize("bold underline", *st.speaker_span)
    # [n] where each piece of a statement's content starts and [/n] where it ends, so the
    # extent shows without colour too (NO_COLOR, a pipe into a file)
    marks: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for n, st in enumerate(statements, 1):
        for span in st.content_spans or [{"start": st.start, "end": st.end}]:
            marks[span["start"]].append((1, f"[{n}]", n))
            marks[span["end"]].append((0, f"[/{n}]", n))  # ends before starts at one place
    out = Text()
    pos = 0
    for at in sorted(marks):
        out.append_text(body[pos:at])
        for _, label, n in sorted(marks[at]):
            out.append(label, style=f"bold reverse {act_style(statements[n - 1].act)}")
        pos = at
    out.append_text(body[pos:])
    return out


def article_view(detail: ArticleDetail) -> list[Any]:
    """The renderables of ``saidwhat article ID``."""
    head = Text(detail.title or detail.path or detail.id, style="bold")
    meta = " · ".join(
        x for x in (detail.date, detail.reported_by, detail.dateline_place, detail.id) if x
    )
    parts: list[Any] = [head, Text(meta, style="dim"), Text()]
    parts.append(marked_text(detail.text, detail.statements, detail.entities))
    if detail.statements:
        table = Table(title="statements", title_justify="left")
        for col in ("#", "speaker", "act", "type", "source chain", "date"):
            table.add_column(col)
        for n, st in enumerate(detail.statements, 1):
            table.add_row(
                str(n),
                st.speaker or "?",
                act_cell(st.act, kind=st.kind),
                st.type,
                chain_text(st.reported_by, st.via, st.speaker),
                st.date or "",
            )
        parts.append(table)
    if detail.entities:
        ents = Table(title="entities", title_justify="left")
        for col in ("name here", "entity", "type", "roles", "mentions"):
            ents.add_column(col)
        for e in detail.entities:
            ents.add_row(
                e.name_here,
                f"{e.name} #{e.entity_id}",
                e.type,
                ", ".join(e.roles),
                str(len(e.mentions)),
            )
        parts.append(ents)
    if detail.copies:
        copies = Text("same story: ", style="bold")
        copies.append(", ".join(f"{c['reported_by'] or '?'} {c['id']}" for c in detail.copies))
        parts.append(copies)
    return parts
