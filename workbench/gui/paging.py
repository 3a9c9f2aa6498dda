"""Rows of a long id list, read from the store a page at a time.

Both table models (post-editing units, alignment links) keep only their id
list in memory and fetch rows through this cache: pages of PAGE_SIZE rows,
the least recently used dropped beyond MAX_PAGES, so a 100,000-row document
opens instantly and scrolling reads only what is shown.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

PAGE_SIZE = 200
MAX_PAGES = 24
PATCH_LIMIT = 64  # changed rows re-read one by one; more than this drop their pages

Row = TypeVar("Row")


class PageCache(Generic[Row]):
    def __init__(self, fetch: Callable[[list[int]], Mapping[int, Row]],
                 on_page_loaded: Callable[[int, int], None] | None = None):
        self._fetch = fetch                    # ids -> {id: row}
        self._on_page_loaded = on_page_loaded  # (first row, last row) after a page is read
        self._pages: OrderedDict[int, list[Row | None]] = OrderedDict()
        self.pages_fetched = 0  # for tests and the benches: how much was read

    def clear(self) -> None:
        self._pages.clear()

    def get(self, ids: Sequence[int], row: int) -> Row | None:
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            start = number * PAGE_SIZE
            chunk = list(ids[start:start + PAGE_SIZE])
            found = self._fetch(chunk)
            page = self._pages[number] = [found.get(uid) for uid in chunk]
            self.pages_fetched += 1
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
            if self._on_page_loaded is not None:
                self._on_page_loaded(start, start + len(chunk) - 1)
        else:
            self._pages.move_to_end(number)
        return page[row % PAGE_SIZE]

    def cached(self, row: int) -> Row | None:
        """The row if its page is in memory (never reads the store)."""
        page = self._pages.get(row // PAGE_SIZE)
        return page[row % PAGE_SIZE] if page is not None and row % PAGE_SIZE < len(page) else None

    def cached_rows(self) -> list[int]:
        rows: list[int] = []
        for number, page in self._pages.items():
            rows.extend(range(number * PAGE_SIZE, number * PAGE_SIZE + len(page)))
        return rows

    def refresh(self, ids: Sequence[int], rows: Sequence[int]) -> None:
        """Changed rows: a few are re-read into their pages (an edit, an
        approval; re-reading a whole page of 200 costs ~20x more), many drop
        their pages to be read again when shown."""
        cached = [r for r in rows if r // PAGE_SIZE in self._pages]
        if len(cached) <= PATCH_LIMIT:
            fresh = self._fetch([ids[r] for r in cached])
            for row in cached:
                self._pages[row // PAGE_SIZE][row % PAGE_SIZE] = fresh.get(ids[row])
        else:
            for number in {r // PAGE_SIZE for r in rows}:
                self._pages.pop(number, None)
