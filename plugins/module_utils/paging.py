# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every page of a listing: the first page, then the rest concurrently within an adaptive bound.

Complete or a loud failure, never a silent short list: a page that still fails after the transport's
retries fails the listing, and a listing that changed while it was read says so.
"""

from __future__ import annotations

import threading

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import dig
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError


class Limiter(object):
    """How many requests may be in flight: additive increase, multiplicative decrease on throttling.

    The transport holds a slot only while a request is on the wire, not while it backs off.
    """

    def __init__(self, maximum):
        self.maximum = max(1, int(maximum))
        self.limit = float(self.maximum)
        self.in_flight = 0
        self.throttled = 0
        self.lowest = self.maximum
        self._cond = threading.Condition()

    def acquire(self):
        with self._cond:
            while self.in_flight >= int(self.limit):
                self._cond.wait()
            self.in_flight += 1

    def release(self, throttled=False):
        with self._cond:
            self.in_flight -= 1
            if throttled:
                self.throttled += 1
                self.limit = max(1.0, self.limit / 2.0)
                self.lowest = min(self.lowest, int(self.limit))
            else:
                # One more slot per window of successful requests: +1/limit per success.
                self.limit = min(float(self.maximum), self.limit + 1.0 / self.limit)
            self._cond.notify_all()


class Listing(object):
    """The outcome of one listing: items in page order, de-duplicated, already shaped."""

    def __init__(self):
        self.items = []
        self.total = None
        self.complete = True
        self.warnings = []
        self.pages = 0
        self.limiter = None


def list_all(endpoint, fetch, shape, page_size, max_items=None, concurrency=4, recheck=False, first_page=False,
             keep=None):
    """List every page of ``endpoint``.

    ``fetch(page_params, limiter)`` returns a decoded page body (raising CloudError on failure);
    ``shape(item)`` turns a raw item into the returned one.

    ``recheck``: when the API reports no total, read the first page once more after a listing of several
    pages. Items removed while the pages were read shift the later pages up, so an item is skipped without
    any duplicate or total to show it; a first page that changed since it was read is the evidence.

    ``keep(item)``: the filters the controller applies (options.local_filter), on each raw item before it is
    shaped; ``max_items`` counts the items kept.

    ``first_page``: only the reported total is wanted (a gate that tests ``total``): read one page and
    return its items and the total, which must then be a count; the endpoint must report one.
    """
    listing = Listing()
    limiter = listing.limiter = Limiter(concurrency)
    seen = set()
    duplicates = [0]
    previous = [None]
    wanted = max_items or None
    size = [page_size]  # what pages are asked for: lowered to a server's smaller cap once one is seen

    def page(index):
        body = fetch(endpoint.paging.params(index, size[0]), limiter)
        if endpoint.items is None:
            # The body is the item list itself (Ray's GET /api/jobs/).
            if not isinstance(body, list):
                raise CloudError('malformed response: the body is not a list of items', operation=endpoint.action)
            return body, None
        if not isinstance(body, dict):
            raise CloudError('malformed response: the body is not a JSON object', operation=endpoint.action)
        items = dig(body, endpoint.items)
        if items is None:
            items = []
        if not isinstance(items, list):
            raise CloudError('malformed response: %s is not a list' % endpoint.items, operation=endpoint.action)
        total = dig(body, endpoint.total) if endpoint.total else None
        return items, total

    def take(items):
        """Add a page's items in order; False once max_items is reached, or when a page brought nothing new
        (a server that ignores the page number would otherwise be read forever)."""
        listing.pages += 1
        if items and items == previous[0]:
            duplicates[0] += len(items)  # the page before, again, even if its items have no IDs
            return False
        previous[0] = items
        fresh = 0
        for item in items:
            key = _item_id(endpoint, item)
            if key is not None:
                if key in seen:
                    duplicates[0] += 1
                    continue
                seen.add(key)
            fresh += 1
            if keep is not None and not keep(item):
                continue
            listing.items.append(shape(item))
            if wanted and len(listing.items) >= wanted:
                return False
        return not items or fresh > 0

    first_items, first_total = page(0)
    listing.total = first_total
    if first_page:
        if not isinstance(first_total, int) or isinstance(first_total, bool) or first_total < 0:
            # The total is all the caller reads: a garbled one must fail, not compare as false.
            raise CloudError('malformed response: total count %r is not a count' % (first_total,),
                             operation=endpoint.action)
        take(first_items)
        return listing
    if not endpoint.paging.paged:
        take(first_items)  # the whole listing, in one response
        return _checked(listing, duplicates, wanted)
    if 0 < len(first_items) < page_size and (not wanted or wanted > len(first_items)) \
            and _capped(endpoint, page, first_items, first_total):
        # The server serves fewer items per page than asked (a limit below the assumed maximum): page by
        # its size, asked for explicitly, so that page numbers and offsets count the same items on both sides.
        size[0] = len(first_items)
    more = take(first_items) and len(first_items) >= size[0]

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        if more and endpoint.total:
            _known_total(listing, pool, page, take, first_total, size[0], wanted, 2 * max(1, concurrency))
        elif more:
            _until_short_page(pool, page, take, size[0], concurrency)

    if recheck and not endpoint.total and listing.pages > 1 and not duplicates[0]:
        again, _total = page(0)
        if _ids(endpoint, again) != _ids(endpoint, first_items):
            listing.complete = False
            listing.warnings.append('the first page changed while the listing was read, so items may be missing; '
                                    'run again for a consistent view')

    return _checked(listing, duplicates, wanted)


def _checked(listing, duplicates, wanted):
    """The listing, marked incomplete (with a warning) when its pages disagree with each other or the total."""
    if duplicates[0]:
        listing.complete = False
        listing.warnings.append('%d item(s) appeared on more than one page: the listing changed while it was '
                                'read, so items may be missing; run again for a consistent view' % duplicates[0])
    # A total that is not a number (garbled) is returned as it came but compared with nothing.
    reported = listing.total if isinstance(listing.total, (int, float)) and not isinstance(listing.total, bool) \
        else None
    if wanted is None and reported is not None and len(listing.items) < reported and listing.complete:
        listing.complete = False
        listing.warnings.append('the API reported %s items but returned %d' % (listing.total, len(listing.items)))
    return listing


def _capped(endpoint, page, first_items, first_total):
    """Whether a short first page is a server's page cap rather than the end of the listing: the reported
    total says there is more, or - with no total - the next page is not empty (one extra request)."""
    if endpoint.total:
        return isinstance(first_total, int) and not isinstance(first_total, bool) and first_total > len(first_items)
    return bool(page(1)[0])


def _item_id(endpoint, item):
    """An item's ID, or None when it has none or a garbled one (an ID must be a scalar); items without an
    ID are kept and never de-duplicated."""
    key = item.get(endpoint.item_id) if isinstance(item, dict) else None
    return None if isinstance(key, (dict, list)) else key


def _ids(endpoint, items):
    return [_item_id(endpoint, item) for item in items]


def _in_order(pool, page, indexes, ahead=None):
    """Fetch pages concurrently and yield them in page order as each arrives.

    At most ``ahead`` pages are queued at a time (all of them when None), so a huge range - a garbled
    total - costs no more than the pages actually read. The first failure propagates (failing the listing)
    and the pages not yet started are cancelled; a consumed page is dropped at once, so a long listing never
    holds all its raw pages.
    """
    indexes = iter(indexes)
    futures = deque(pool.submit(page, index) for index in islice(indexes, ahead))
    try:
        while futures:
            future = futures.popleft()
            for index in islice(indexes, 1):
                futures.append(pool.submit(page, index))
            yield future.result()
    finally:
        for future in futures:
            future.cancel()


def _known_total(listing, pool, page, take, first_total, page_size, wanted, ahead):
    try:
        total = int(first_total)
    except (TypeError, ValueError, OverflowError):
        raise CloudError('malformed response: total count %r is not a number' % (first_total,))
    fetched = 1
    while True:
        target = min(total, wanted) if wanted else total
        pages = -(-target // page_size)
        if fetched >= pages:
            return
        indexes = range(fetched, pages)
        fetched = pages
        for items, page_total in _in_order(pool, page, indexes, ahead):
            if page_total is not None and page_total != listing.total:
                listing.complete = False
                listing.warnings.append('the listing changed while it was read (total went from %s to %s); '
                                        'items may be missing' % (listing.total, page_total))
                listing.total = page_total
                try:
                    # Items were added: read on to the new end so none past the old one is lost.
                    total = max(total, int(page_total))
                except (TypeError, ValueError, OverflowError):
                    pass
            if not take(items) or not items:
                # Nothing lies past an empty page, whatever the total said.
                return


def _until_short_page(pool, page, take, page_size, concurrency):
    """No total: read windows of pages ahead in parallel until the first short page.

    The window starts at two pages and doubles up to ``concurrency``, so a short listing costs few
    wasted requests past its end and a long one soon reads at full width.
    """
    start = 1
    window = min(2, max(1, concurrency))
    while True:
        for items, _total in _in_order(pool, page, range(start, start + window)):
            if not take(items) or len(items) < page_size:
                return
        start += window
        window = min(window * 2, max(1, concurrency))
