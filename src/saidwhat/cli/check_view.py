"""``saidwhat check`` as rich text: the verdict, who said it, the earliest report, the
outlets, each wording against the quote (dropped words struck out in red, added ones in
green) and every report with its source chain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from saidwhat.wording import counted

if TYPE_CHECKING:
    from saidwhat.query.check import QuoteCheck, Wording

VERDICT_TEXT = {
    "said": ("said by {speaker}", "bold green"),
    "someone_else": ("said, but not by {speaker}", "bold yellow"),
    "nobody": ("nobody in the corpus said it", "bold red"),
}
PIECE_STYLE = {"equal": "", "added": "green", "dropped": "red strike"}


def wording_text(w: Wording) -> Text:
    """A wording against the quote: what the report drops, struck; what it adds, green."""
    text = Text()
    for piece in w.diff:
        if text:
            text.append(" ")
        text.append(piece.text, style=PIECE_STYLE[piece.op])
    return text


def check_view(result: QuoteCheck) -> list[Any]:
    parts: list[Any] = []
    head = Text(f"“{result.text}”\n", style="bold")
    if result.verdict:
        line, style = VERDICT_TEXT[result.verdict]
        head.append(line.format(speaker=result.speaker) + "\n", style=style)
    if not result.matches:
        head.append("no statement in the corpus says it", style="dim")
        return [head]
    who = ", ".join(f"{s.name} ({s.reports})" for s in result.said_by)
    head.append(f"{counted(len(result.matches), 'report')}; said by {who}\n")
    first = result.earliest
    if first is not None:
        head.append(
            f"earliest: {first.date or 'undated'}, {first.outlet or '?'} "
            f"({' ← '.join(first.chain)})\n"
        )
    head.append("outlets: " + ", ".join(result.outlets))
    parts.append(head)
    wordings = Table(title="wordings against the quote", title_justify="left", show_lines=True)
    wordings.add_column("wording (struck: not in the report; green: added)", ratio=3)
    wordings.add_column("drift")
    wordings.add_column("similar", justify="right")
    wordings.add_column("reports", justify="right")
    for w in result.wordings:
        wordings.add_row(
            wording_text(w),
            ", ".join(w.drift) or "same words",
            f"{w.similarity:.2f}",
            str(w.reports),
        )
    parts.append(wordings)
    reports = Table(title="reports, oldest first", title_justify="left", show_lines=True)
    for col in ("date", "speaker", "source chain", "statement", "id"):
        reports.add_column(col, overflow="fold")
    for m in result.matches:
        reports.add_row(
            m.date or "", m.speaker or "?", " ← ".join(m.chain), m.content, str(m.statement_id)
        )
    parts.append(reports)
    return parts
