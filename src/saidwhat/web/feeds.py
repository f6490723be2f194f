"""Saved searches on the web: ``/api/searches``, ``/api/searches/{id}/alerts`` and an
Atom feed per saved search (``/searches/{id}/alerts.atom``) that a feed reader polls to
hear of each new match once (each alert is one entry with a stable id)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from saidwhat.query.alerts import AlertRow, SavedSearch, get_search, list_alerts, list_searches
from saidwhat.web.params import StoreDep

api = APIRouter(tags=["read"])
pages = APIRouter(include_in_schema=False)

SearchId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Saved search id")]
ATOM = "http://www.w3.org/2005/Atom"


def _search(store: StoreDep, search_id: int) -> SavedSearch:
    found = get_search(store, search_id)
    if found is None:
        raise HTTPException(404, f"no saved search with id {search_id}")
    return found


@api.get("/searches", summary="Saved searches", response_model=list[SavedSearch])
def searches(store: StoreDep) -> list[SavedSearch]:
    """Every saved search (``saidwhat searches save``) with its filters and alert count."""
    return list_searches(store)


@api.get(
    "/searches/{search_id}/alerts", summary="A saved search's alerts", response_model=list[AlertRow]
)
def alerts(
    store: StoreDep, search_id: SearchId, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[AlertRow]:
    """The statements that matched the search when they were stored, newest first, with
    each alert's webhook delivery status."""
    return list_alerts(store, _search(store, search_id).id, limit)


@pages.get("/searches/{search_id}/alerts.atom")
def alerts_feed(request: Request, store: StoreDep, search_id: SearchId) -> Response:
    search = _search(store, search_id)
    rows = list_alerts(store, search.id, 100)
    return Response(atom(search, rows, str(request.base_url)), media_type="application/atom+xml")


def _stamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(search: SavedSearch, rows: list[AlertRow], base: str) -> bytes:
    """The Atom document; ElementTree escapes every piece of stored text."""
    base = base.rstrip("/")
    feed = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(feed, "title").text = f"saidwhat: {search.name}"
    ET.SubElement(feed, "id").text = f"{base}/searches/{search.id}"
    updated = rows[0].created_at if rows else search.created_at
    ET.SubElement(feed, "updated").text = _stamp(updated)
    ET.SubElement(feed, "link", rel="self", href=f"{base}/searches/{search.id}/alerts.atom")
    for r in rows:
        entry = ET.SubElement(feed, "entry")
        speaker = r.speaker or "unknown speaker"
        ET.SubElement(entry, "title").text = f"{speaker} ({r.act or 'said'}): {r.content[:120]}"
        ET.SubElement(entry, "id").text = f"{base}/alerts/{r.id}"
        ET.SubElement(entry, "updated").text = _stamp(r.created_at)
        ET.SubElement(entry, "link", href=f"{base}/statements/{r.statement_id}")
        ET.SubElement(entry, "summary").text = f"{speaker}, {r.date or 'undated'}: {r.content}"
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
