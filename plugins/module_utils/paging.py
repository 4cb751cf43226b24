# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every page of a listing: the first page, then the rest concurrently within an adaptive bound.

Complete or a loud failure, never a silent short list: every page is checked before it is used (its
item list is there, is a list, holds objects), a page that still fails after the transport's retries
fails the listing, a total that the pages disprove is not trusted, a listing that changed while it was
read says so, and the listing's deadline ends it however the server behaves.
"""

from __future__ import annotations

import threading

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import dig
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError, Malformed, deadline_error

# A listing with a total fails when it has read more pages than this many times what its first total
# implies (plus PAGE_SLACK): a total that keeps growing, or a server that invents items, is not read forever.
PAGE_FACTOR = 2
PAGE_SLACK = 2


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
        self.closed = False
        self._cond = threading.Condition()

    def acquire(self, deadline=None):
        with self._cond:
            while not self.closed and self.in_flight >= int(self.limit):
                if deadline is None:
                    self._cond.wait()
                    continue
                remaining = deadline.remaining()
                if remaining <= 0:
                    raise deadline_error(deadline)
                self._cond.wait(remaining)
            if self.closed:
                raise CloudError('not sent: another page of this listing failed')
            self.in_flight += 1

    def close(self):
        """The listing failed: no request is sent after this, so pages in flight stop at their next retry
        instead of retrying for a result nobody reads (and the failure is not held up waiting for them)."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()

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

    def incomplete(self, warning):
        self.complete = False
        if warning not in self.warnings:
            self.warnings.append(warning)


def page_check(endpoint):
    """``check(body)`` for the transport: an error envelope inside a 2xx raises Refused (the endpoint's
    declaration), a body without a usable item list raises Malformed. Both are retried, then fail."""
    where = endpoint.items or 'the top level'

    def check(body):
        if endpoint.failure is not None:
            endpoint.failure.check(body)
        items = dig(body, endpoint.items) if endpoint.items else body
        if items is None:
            raise Malformed('no item list at %s' % where)
        if not isinstance(items, list):
            raise Malformed('the item list at %s is %s, not a list' % (where, _json_type(items)))
        for item in items:
            if not isinstance(item, dict):
                raise Malformed('an item at %s is %s, not an object' % (where, _json_type(item)))

    return check


def _json_type(value):
    if isinstance(value, bool):
        return 'a boolean'
    if isinstance(value, (int, float)):
        return 'a number'
    return {dict: 'an object', list: 'a list', str: 'a string'}.get(type(value), 'null')


def trusted_total(value):
    """A total is trusted only as a non-negative integer (not a boolean); None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def list_all(
    endpoint,
    fetch,
    shape,
    page_size,
    max_items=None,
    concurrency=4,
    recheck=False,
    deadline=None,
    first_page=False,
    keep=None,
):
    """List every page of ``endpoint``.

    ``fetch(page_params, limiter, check)`` returns a decoded page body that ``check`` accepted (raising
    CloudError on failure); ``shape(item)`` turns a raw item into the returned one. ``deadline`` (a
    transport.Deadline) bounds the whole listing; reaching it fails naming the pages read.

    ``recheck``: when the API reports no total, read the first page once more after a listing of several
    pages. Items removed while the pages were read shift the later pages up, so an item is skipped without
    any duplicate or total to show it; a first page that changed since it was read is the evidence.

    ``keep(item)``: the filters the controller applies (options.local_filter), on each raw item before it is
    shaped; ``max_items`` counts the items kept.

    ``first_page``: only the reported total is wanted (a gate that tests ``total``): read one page and
    return its items and the total, which must then be a count; the endpoint must report one.
    """
    listing = Listing()
    listing.limiter = Limiter(concurrency)
    try:
        _list(listing, endpoint, fetch, shape, page_size, max_items, concurrency, recheck, first_page, keep)
    except CloudError as exc:
        if exc.deadline:
            exc.message = _deadline_message(exc, listing.pages)
        raise
    return listing


def _deadline_message(exc, pages):
    head, sep, rest = exc.message.partition(' reached')
    return '%s reached after %d page(s) read%s' % (head, pages, rest) if sep else exc.message


def _list(listing, endpoint, fetch, shape, page_size, max_items, concurrency, recheck, first_page, keep):
    limiter = listing.limiter
    check = page_check(endpoint)
    seen = set()
    anonymous = set()
    duplicates = [0]
    previous = [None]
    wanted = max_items or None
    size = [page_size]  # what pages are asked for: lowered to a server's smaller cap once one is seen
    counted = [0]  # distinct items read, kept by the controller's filters or not: what a total counts

    def page(index):
        body = fetch(endpoint.paging.params(index, size[0]), limiter, check)
        items = dig(body, endpoint.items) if endpoint.items else body
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
        keys = [_item_id(endpoint, item) for item in items]
        repeated = False
        if None in keys:
            # Items without an ID are never de-duplicated one by one, but the same ones again on a later page
            # are the server repeating itself (a listing of them would otherwise never end).
            fingerprint = hash(repr([item for item, key in zip(items, keys) if key is None]))
            repeated = fingerprint in anonymous
            anonymous.add(fingerprint)
        fresh = 0
        for item, key in zip(items, keys):
            if key is None and repeated:
                duplicates[0] += 1
                continue
            if key is not None:
                if key in seen:
                    duplicates[0] += 1
                    continue
                seen.add(key)
            fresh += 1
            counted[0] += 1
            if keep is not None and not keep(item):
                continue
            listing.items.append(shape(item))
            if wanted and len(listing.items) >= wanted:
                return False
        return not items or fresh > 0

    first_items, first_total = page(0)
    listing.total = first_total
    if first_page:
        if trusted_total(first_total) is None:
            # The total is all the caller reads: a garbled one must fail, not compare as false.
            raise CloudError(
                'malformed response: total count %s is not a count' % _shown(first_total), operation=endpoint.action
            )
        take(first_items)
        return
    if (
        endpoint.paging.paged
        and 0 < len(first_items) < page_size
        and (not wanted or wanted > len(first_items))
        and _capped(endpoint, page, first_items, first_total)
    ):
        # The server serves fewer items per page than asked (a limit below the assumed maximum): page by
        # its size, asked for explicitly, so that page numbers and offsets count the same items on both sides.
        size[0] = len(first_items)
    more = take(first_items) and endpoint.paging.paged and len(first_items) >= size[0]

    total = trusted_total(first_total) if endpoint.total else None
    if endpoint.total and (total is None or total < len(first_items)):
        listing.incomplete(
            'the API reported a total of %s, which is not a count of the items (%d on the first '
            'page): read on to the last page' % (_shown(first_total), len(first_items))
        )
        total = None

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        try:
            if more and total is not None:
                start = _known_total(
                    listing, pool, page, take, total, size[0], wanted, 2 * max(1, concurrency), counted
                )
                if start is not None:
                    listing.incomplete(
                        'the API reported a total of %s but returned more items: read on to the last '
                        'page' % _shown(first_total)
                    )
                    _until_short_page(listing, pool, page, take, size[0], concurrency, start)
            elif more:
                _until_short_page(listing, pool, page, take, size[0], concurrency, 1)
        except BaseException:
            # Leaving this block waits for the pages in flight: let them stop at their next attempt.
            limiter.close()
            raise

    if recheck and not endpoint.total and listing.pages > 1 and not duplicates[0]:
        again, _total = page(0)
        if _ids(endpoint, again) != _ids(endpoint, first_items):
            listing.incomplete(
                'the first page changed while the listing was read, so items may be missing; '
                'run again for a consistent view'
            )

    if duplicates[0]:
        listing.incomplete(
            '%d item(s) appeared on more than one page: the listing changed while it was '
            'read, so items may be missing; run again for a consistent view' % duplicates[0]
        )
    reported = trusted_total(listing.total)
    if wanted is None and reported is not None and counted[0] < reported and listing.complete:
        listing.incomplete('the API reported %s items but returned %d' % (listing.total, counted[0]))


def _capped(endpoint, page, first_items, first_total):
    """Whether a short first page is a server's page cap rather than the end of the listing: the reported
    total says there is more, or - with no total - the next page is not empty (one extra request)."""
    if endpoint.total:
        total = trusted_total(first_total)
        return total is not None and total > len(first_items)
    return bool(page(1)[0])


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + '...'


def _item_id(endpoint, item):
    """An item's ID, or None when it has none or a garbled one (an ID must be a scalar); items without an
    ID are kept and never de-duplicated."""
    return endpoint.id_of(item)


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


def _known_total(listing, pool, page, take, total, page_size, wanted, ahead, counted):
    """Read the pages a trusted total implies. Returns the next page index when the pages disproved the
    total (more items than it said, the last page full), so the caller reads on; None when done."""
    first = total
    bound = PAGE_FACTOR * -(-first // page_size) + PAGE_SLACK
    fetched = 1
    last_full = False
    while True:
        target = min(total, wanted) if wanted else total
        pages = -(-target // page_size)
        if fetched >= pages:
            break
        if pages > bound:
            pages = bound + 1  # read no further than the bound allows, then fail below
        indexes = range(fetched, pages)
        fetched = pages
        for items, page_total in _in_order(pool, page, indexes, ahead):
            if listing.pages >= bound:
                raise CloudError(
                    'read %d pages, more than the first total of %d items allows (%d pages of %d): '
                    'the listing keeps growing or the server ignores the page number'
                    % (listing.pages, first, bound, page_size)
                )
            if page_total is not None and page_total != listing.total:
                listing.incomplete(
                    'the listing changed while it was read (total went from %s to %s); items '
                    'may be missing' % (_shown(listing.total), _shown(page_total))
                )
                listing.total = page_total
                grown = trusted_total(page_total)
                if grown is not None:
                    # Items were added: read on to the new end so none past the old one is lost.
                    total = max(total, grown)
            last_full = len(items) >= page_size
            if not take(items) or not items:
                # Nothing lies past an empty page, whatever the total said.
                return None
    if last_full and not wanted and counted[0] > total:
        return fetched
    return None


def _short(pages, page_size):
    return next((position for position, items in enumerate(pages) if len(items) < page_size), None)


def _until_short_page(listing, pool, page, take, page_size, concurrency, start):
    """No (trusted) total: read windows of pages ahead in parallel until the first short page.

    The window starts at two pages and doubles up to ``concurrency``, so a short listing costs few
    wasted requests past its end and a long one soon reads at full width. A short page followed in the
    same window by a page with items contradicts itself: that part of the window is read again, and if it
    still does, the listing reads on past it and says it may be incomplete.
    """
    window = min(2, max(1, concurrency))
    while True:
        pages = [items for items, _total in _in_order(pool, page, range(start, start + window))]
        cut = _short(pages, page_size)
        if cut is not None and any(pages[cut + 1 :]):
            pages[cut:] = [items for items, _total in _in_order(pool, page, range(start + cut, start + window))]
            cut = _short(pages, page_size)
            if cut is not None and any(pages[cut + 1 :]):
                listing.incomplete(
                    'a short or empty page came before pages with items (pages %d and %d): the '
                    'listing is inconsistent, so items may be missing; run again for a '
                    'consistent view' % (start + cut + 1, start + cut + 2)
                )
                cut = None
        for position, items in enumerate(pages):
            if not take(items):
                return
            if cut is not None and position >= cut:
                return
        if cut is None and not any(pages):
            return  # an inconsistent window that ended with nothing: the end
        start += window
        window = min(window * 2, max(1, concurrency))
