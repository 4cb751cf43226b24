# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""paging.list_all over an in-memory fetch (no HTTP), and the AIMD Limiter."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS, Endpoint
from ansible_collections.jobscope.cloud.plugins.module_utils.paging import Limiter, list_all, page_check
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError, Malformed

WITH_TOTAL = ENDPOINTS['emr_ray_job']        # pageNum/pageSize, totalCount, rayJobs, submissionId
NO_TOTAL = ENDPOINTS['emr_ray_cluster']      # pageNum/pageSize, no total, rayClusters, clusterId
OFFSETS = ENDPOINTS['octopus_queued_job']    # offset/limit, payload.page_info.total, payload.list, id


def identity(item):
    return item


class FakeApi(object):
    """An in-memory listing served page by page, recording every page asked for.

    ``pages`` may override what a page number returns: a callable(page_number, size) -> body, or an
    exception instance to raise.
    """

    def __init__(self, endpoint, count, total=True, pages=None, barrier=None, delay=0.0):
        self.endpoint = endpoint
        self.items = [self.item(number) for number in range(count)]
        self.total = total
        self.pages = pages or {}
        self.barrier = barrier
        self.delay = delay
        self.requested = []
        self._lock = threading.Lock()

    def item(self, number):
        return {self.endpoint.item_id: 'id-%03d' % number, 'n': number}

    def page_bounds(self, params):
        paging = self.endpoint.paging
        if hasattr(paging, 'offset'):
            size = int(params[paging.limit])
            start = int(params[paging.offset])
            return start // size + 1, start, size
        size = int(params[paging.size])
        number = int(params[paging.number])
        return number, (number - 1) * size, size

    def body(self, items, total):
        endpoint = self.endpoint
        if endpoint.name == 'octopus_queued_job':
            body = {'payload': {'list': items, 'page_info': {'total': total}}}
        else:
            body = {endpoint.items: items}
            if endpoint.total:
                body[endpoint.total] = total
        if not self.total:
            if endpoint.name == 'octopus_queued_job':
                del body['payload']['page_info']
            elif endpoint.total:
                del body[endpoint.total]
        return body

    def __call__(self, params, limiter, check):
        body = self.answer(params)
        try:
            check(body)  # as the transport does: a malformed page is an error (its retries are not faked here)
        except Malformed as exc:
            raise CloudError('malformed response body: %s' % exc, retryable=True)
        return body

    def answer(self, params):
        number, start, size = self.page_bounds(params)
        with self._lock:
            self.requested.append(number)
        if self.barrier is not None and number > 1:
            self.barrier.wait(timeout=5)
        if self.delay:
            time.sleep(self.delay)
        override = self.pages.get(number)
        if isinstance(override, Exception):
            raise override
        if override is not None:
            return override(number, size)
        return self.body(self.items[start:start + size], len(self.items))


# --- Known total --------------------------------------------------------------------------------

def test_known_total_reads_every_page_once_concurrently():
    # Pages 2..5 must all be in flight together: the barrier breaks (and the test fails) otherwise.
    api = FakeApi(WITH_TOTAL, 50, barrier=threading.Barrier(4))
    listing = list_all(WITH_TOTAL, api, identity, page_size=10, concurrency=4)
    assert sorted(api.requested) == [1, 2, 3, 4, 5]
    assert api.requested[0] == 1
    assert [item['n'] for item in listing.items] == list(range(50))
    assert listing.total == 50
    assert listing.complete is True
    assert listing.warnings == []
    assert listing.pages == 5


def test_known_total_with_offsets():
    api = FakeApi(OFFSETS, 23)
    listing = list_all(OFFSETS, api, identity, page_size=5, concurrency=2)
    assert sorted(api.requested) == [1, 2, 3, 4, 5]
    assert [item['n'] for item in listing.items] == list(range(23))
    assert listing.complete is True


def test_items_keep_page_order_even_when_later_pages_answer_first():
    def slow_page_two(number, size):
        time.sleep(0.05)
        return api.body(api.items[size:2 * size], 30)

    api = FakeApi(WITH_TOTAL, 30, pages={2: slow_page_two})
    listing = list_all(WITH_TOTAL, api, identity, page_size=10, concurrency=3)
    assert [item['n'] for item in listing.items] == list(range(30))


def test_single_page_and_empty_listing():
    api = FakeApi(WITH_TOTAL, 10)
    listing = list_all(WITH_TOTAL, api, identity, page_size=10)
    assert api.requested == [1]
    assert len(listing.items) == 10 and listing.complete

    api = FakeApi(WITH_TOTAL, 0)
    listing = list_all(WITH_TOTAL, api, identity, page_size=10)
    assert api.requested == [1]
    assert listing.items == [] and listing.total == 0 and listing.complete


def test_max_items_stops_early_with_fewer_requests():
    api = FakeApi(WITH_TOTAL, 100)
    listing = list_all(WITH_TOTAL, api, identity, page_size=10, max_items=25, concurrency=4)
    assert sorted(api.requested) == [1, 2, 3]
    assert [item['n'] for item in listing.items] == list(range(25))
    assert listing.complete is True  # asking for fewer is not an incomplete listing
    assert listing.total == 100

    api = FakeApi(WITH_TOTAL, 100)
    listing = list_all(WITH_TOTAL, api, identity, page_size=10, max_items=7)
    assert api.requested == [1]
    assert len(listing.items) == 7


def test_shape_is_applied_to_every_item():
    api = FakeApi(WITH_TOTAL, 12)
    listing = list_all(WITH_TOTAL, api, lambda item: {'shaped': item['n']}, page_size=5)
    assert listing.items == [{'shaped': number} for number in range(12)]


# --- Unknown total ------------------------------------------------------------------------------

def test_unknown_total_stops_at_the_first_short_page():
    api = FakeApi(NO_TOTAL, 25, total=False)
    listing = list_all(NO_TOTAL, api, identity, page_size=10, concurrency=1)
    assert api.requested == [1, 2, 3]
    assert [item['n'] for item in listing.items] == list(range(25))
    assert listing.total is None
    assert listing.complete is True


def test_unknown_total_exactly_full_last_page_then_empty_page():
    api = FakeApi(NO_TOTAL, 30, total=False)
    listing = list_all(NO_TOTAL, api, identity, page_size=10, concurrency=1)
    assert api.requested == [1, 2, 3, 4]
    assert [item['n'] for item in listing.items] == list(range(30))
    assert listing.complete is True


@pytest.mark.parametrize('concurrency', [2, 3, 8])
def test_unknown_total_reads_ahead_and_an_empty_page_before_items_is_inconsistent(concurrency):
    # An inconsistent server that returns items after an empty page: read again, then read on past it and
    # say the listing may be incomplete - never complete: true.
    def ghost(number, size):
        return api.body([{'clusterId': 'ghost-%d' % number}], None)

    api = FakeApi(NO_TOTAL, 30, total=False, pages=dict((number, ghost) for number in range(5, 20)))
    listing = list_all(NO_TOTAL, api, identity, page_size=10, concurrency=concurrency)
    assert [item['n'] for item in listing.items if 'n' in item] == list(range(30))
    assert listing.complete is False
    assert any('inconsistent' in warning for warning in listing.warnings)
    assert 4 in api.requested


@pytest.mark.parametrize('concurrency', [1, 2, 3, 8])
def test_unknown_total_empty_page_without_items_after_it_is_the_end(concurrency):
    api = FakeApi(NO_TOTAL, 30, total=False)
    listing = list_all(NO_TOTAL, api, identity, page_size=10, concurrency=concurrency)
    assert [item['n'] for item in listing.items] == list(range(30))
    assert listing.complete is True and listing.warnings == []
    assert len(api.requested) == len(set(api.requested))  # no page twice
    assert max(api.requested) <= 4 + concurrency  # read-ahead is bounded by one window


@pytest.mark.parametrize('glitch', ['empty', 'short'])
def test_unknown_total_a_page_that_glitches_once_is_read_again_and_the_listing_is_whole(glitch):
    calls = []

    def once(number, size):
        calls.append(number)
        items = api.items[size:2 * size]
        if len(calls) == 1:
            items = [] if glitch == 'empty' else items[:3]
        return api.body(items, None)

    api = FakeApi(NO_TOTAL, 45, total=False, pages={2: once})
    listing = list_all(NO_TOTAL, api, identity, page_size=10, concurrency=4)
    assert [item['n'] for item in listing.items] == list(range(45))
    assert listing.complete is True
    assert len(calls) == 2


@pytest.mark.parametrize('empty_page', [2, 5, 9])
def test_unknown_total_a_page_persistently_empty_mid_listing_is_incomplete(empty_page):
    api = FakeApi(NO_TOTAL, 100, total=False,
                  pages={empty_page: lambda number, size: api.body([], None)})
    listing = list_all(NO_TOTAL, api, identity, page_size=10, concurrency=8)
    assert listing.complete is False
    assert len(listing.items) == 90
    assert any('inconsistent' in warning for warning in listing.warnings)


def test_unknown_total_first_page_short():
    # Without a total, a short first page could be a server's smaller page cap: one look at the next page
    # (empty here) tells the end of the listing from a cap.
    api = FakeApi(NO_TOTAL, 3, total=False)
    listing = list_all(NO_TOTAL, api, identity, page_size=10, concurrency=4)
    assert api.requested == [1, 2]
    assert len(listing.items) == 3
    assert listing.complete is True


class CappedApi(FakeApi):
    """A server that silently serves at most ``cap`` items per page whatever is asked, counting page numbers
    (or offsets) in pages of the size it serves."""

    def __init__(self, endpoint, count, cap, **kwargs):
        super(CappedApi, self).__init__(endpoint, count, **kwargs)
        self.cap = cap
        self.sizes = []

    def page_bounds(self, params):
        number, start, size = super(CappedApi, self).page_bounds(params)
        self.sizes.append(size)
        if size > self.cap:
            size = self.cap
            start = (number - 1) * size if not hasattr(self.endpoint.paging, 'offset') else start
        return number, start, size


@pytest.mark.parametrize('endpoint', [WITH_TOTAL, NO_TOTAL, OFFSETS], ids=lambda e: e.name)
@pytest.mark.parametrize('count', [0, 30, 50, 51, 130, 250])
def test_a_server_page_cap_below_the_page_size_loses_no_item(endpoint, count):
    api = CappedApi(endpoint, count, cap=50)
    listing = list_all(endpoint, api, identity, page_size=100, concurrency=4)
    # Every item, in order, once; or (never here) complete false with a warning.
    assert [item['n'] for item in listing.items] == list(range(count))
    assert listing.complete is True and listing.warnings == []
    if count > 50:
        assert set(api.sizes[1:]) <= {50, 100} and api.sizes[-1] == 50


def test_a_capped_listing_with_max_items_stops_there():
    api = CappedApi(WITH_TOTAL, 130, cap=50)
    listing = list_all(WITH_TOTAL, api, identity, page_size=100, max_items=70, concurrency=2)
    assert [item['n'] for item in listing.items] == list(range(70))


def test_unknown_total_with_max_items():
    api = FakeApi(NO_TOTAL, 100, total=False)
    listing = list_all(NO_TOTAL, api, identity, page_size=10, max_items=15, concurrency=1)
    assert api.requested == [1, 2]
    assert len(listing.items) == 15


# --- A listing that changes while it is read ----------------------------------------------------

def test_duplicates_across_pages_are_dropped_and_reported():
    # An item inserted at the head shifts page 2 by one: its first item repeats the last of page 1.
    def shifted(number, size):
        return api.body(api.items[size - 1:2 * size - 1], 30)

    api = FakeApi(WITH_TOTAL, 30, pages={2: shifted})
    listing = list_all(WITH_TOTAL, api, identity, page_size=10, concurrency=2)
    ids = [item['submissionId'] for item in listing.items]
    assert len(ids) == len(set(ids))
    assert ids.count('id-009') == 1
    assert listing.complete is False
    assert any('more than one page' in warning for warning in listing.warnings)


def test_items_without_an_id_are_never_deduplicated():
    def no_ids(number, size):
        return {'rayJobs': [{'n': 1}, {'n': 1}], 'totalCount': 2}

    api = FakeApi(WITH_TOTAL, 0, pages={1: no_ids})
    listing = list_all(WITH_TOTAL, api, identity, page_size=10)
    assert listing.items == [{'n': 1}, {'n': 1}]
    assert listing.complete is True


def test_total_grew_between_pages_reads_the_extra_pages():
    api = FakeApi(WITH_TOTAL, 30)

    def grown(number, size):
        api.items.extend(api.item(number) for number in range(30, 35))
        return api.body(api.items[size:2 * size], 35)

    api.pages = {2: grown}
    listing = list_all(WITH_TOTAL, api, identity, page_size=10, concurrency=1)
    assert sorted(api.requested) == [1, 2, 3, 4]
    assert [item['n'] for item in listing.items] == list(range(35))
    assert listing.complete is False
    assert listing.total == 35
    assert any('30 to 35' in warning for warning in listing.warnings)


def test_total_shrank_between_pages_is_reported():
    api = FakeApi(WITH_TOTAL, 30)

    def shrunk(number, size):
        del api.items[25:]
        return api.body(api.items[size:2 * size], 25)

    api.pages = {2: shrunk}
    listing = list_all(WITH_TOTAL, api, identity, page_size=10, concurrency=1)
    assert sorted(api.requested) == [1, 2, 3]
    assert listing.complete is False
    assert any('30 to 25' in warning for warning in listing.warnings)


def test_fewer_items_than_the_reported_total_is_incomplete():
    def short(number, size):
        return api.body(api.items[size:size + 3], 30)

    api = FakeApi(WITH_TOTAL, 30, pages={2: short})
    listing = list_all(WITH_TOTAL, api, identity, page_size=10, concurrency=1)
    assert len(listing.items) == 23
    assert listing.complete is False
    assert any('reported 30' in warning and 'returned 23' in warning for warning in listing.warnings)


# --- Failures are loud --------------------------------------------------------------------------

@pytest.mark.parametrize('failing_page', [1, 2, 4])
def test_a_failing_page_fails_the_listing(failing_page):
    error = CloudError('Throttled for good', status=429, code='Throttling.User', operation='ListRayJob')
    api = FakeApi(WITH_TOTAL, 50, pages={failing_page: error})
    with pytest.raises(CloudError) as info:
        list_all(WITH_TOTAL, api, identity, page_size=10, concurrency=3)
    assert info.value is error


def test_pages_in_flight_stop_retrying_once_another_page_failed_the_listing():
    """A page that fails for good fails the listing at once: pages still in flight send no further attempt
    (each "attempt" here goes through the limiter, as the transport's do), instead of retrying for nothing."""
    error = CloudError('malformed response body', status=200, operation='ListRayJob')
    api = FakeApi(WITH_TOTAL, 100, pages={2: error})
    attempts = []

    def fetch(params, limiter, check):
        number = api.page_bounds(params)[0]
        if number > 2:
            for _attempt in range(50):  # a page that keeps failing and being retried, slowly
                limiter.acquire()
                attempts.append(number)
                limiter.release()
                time.sleep(0.02)
        return api(params, limiter, check)

    started = time.monotonic()
    with pytest.raises(CloudError) as info:
        list_all(WITH_TOTAL, fetch, identity, page_size=10, concurrency=4)
    assert info.value is error
    assert time.monotonic() - started < 0.5  # not the 50 x 20 ms the retrying pages would take
    assert len(attempts) < 4 * 5


def test_a_closed_limiter_refuses_and_wakes_its_waiters():
    limiter = Limiter(1)
    limiter.acquire()
    outcome = []

    def waiter():
        try:
            limiter.acquire()
            outcome.append('acquired')
        except CloudError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    time.sleep(0.05)
    limiter.close()
    thread.join(timeout=2)
    assert outcome == ['not sent: another page of this listing failed']
    with pytest.raises(CloudError):
        limiter.acquire()


def test_a_failing_page_fails_an_unknown_total_listing():
    error = CloudError('boom', status=503)
    api = FakeApi(NO_TOTAL, 50, total=False, pages={3: error})
    with pytest.raises(CloudError):
        list_all(NO_TOTAL, api, identity, page_size=10, concurrency=2)


@pytest.mark.parametrize('body', [
    {'rayJobs': {'not': 'a list'}, 'totalCount': 1},
    {'totalCount': 0},
    {},
    {'status': 'ok'},
    {'requestId': 'r'},
    {'rayJobs': None, 'totalCount': 0},
    {'rayJobs': [1, 2], 'totalCount': 2},
    {'rayJobs': [{'submissionId': 'a'}, 'b'], 'totalCount': 2},
    {'rayJobs': [[]], 'totalCount': 1},
    [],
    'text',
])
def test_a_page_without_a_list_of_objects_is_malformed(body):
    api = FakeApi(WITH_TOTAL, 0, pages={1: lambda number, size: body})
    with pytest.raises(CloudError) as info:
        list_all(WITH_TOTAL, api, identity, page_size=10)
    assert 'malformed' in str(info.value) and 'rayJobs' in str(info.value)


@pytest.mark.parametrize('total', [-1, 0, 50, True, False, 'many', 2.5, None, [], {}, '250'])
def test_an_untrusted_total_is_read_past_to_a_short_page_and_reported(total):
    api = FakeApi(WITH_TOTAL, 250)
    api.body = lambda items, _total, body=api.body: dict(body(items, None), totalCount=total)
    listing = list_all(WITH_TOTAL, api, identity, page_size=100, concurrency=4)
    assert [item['n'] for item in listing.items] == list(range(250))
    assert listing.complete is False
    assert listing.warnings


@pytest.mark.parametrize('total', [120, 199, 249])
def test_a_total_disproved_by_the_pages_is_read_past(total):
    api = FakeApi(WITH_TOTAL, 250)
    api.body = lambda items, _total, body=api.body: body(items, total)
    listing = list_all(WITH_TOTAL, api, identity, page_size=50, concurrency=3)
    assert [item['n'] for item in listing.items] == list(range(250))
    assert listing.complete is False
    assert any('returned more items' in warning for warning in listing.warnings)


def test_an_exact_total_on_full_pages_is_complete():
    api = FakeApi(WITH_TOTAL, 200)
    listing = list_all(WITH_TOTAL, api, identity, page_size=50, concurrency=3)
    assert len(listing.items) == 200 and listing.complete is True and listing.warnings == []
    assert sorted(api.requested) == [1, 2, 3, 4]


def test_a_total_that_keeps_growing_fails_at_the_page_bound():
    counter = [0]

    def fresh(number, size):
        counter[0] += 1
        items = [{'submissionId': 'f-%d-%d' % (number, index)} for index in range(size)]
        return {'rayJobs': items, 'totalCount': 30 + number * size}

    api = FakeApi(WITH_TOTAL, 0)
    api.answer = lambda params: fresh(int(params['pageNum']), int(params['pageSize']))
    with pytest.raises(CloudError) as info:
        list_all(WITH_TOTAL, api, identity, page_size=10, concurrency=2)
    assert 'more than the first total' in str(info.value)
    assert counter[0] <= 2 * 3 + 2 + 2 * 2 + 1


def test_the_deadline_ends_a_listing_naming_pages_read():
    from ansible_collections.jobscope.cloud.plugins.module_utils.transport import Deadline, deadline_error
    deadline = Deadline(0.3)

    def fetch(params, limiter, check):
        if deadline.expired():
            raise deadline_error(deadline, CloudError('slow', status=503), 'ListRayCluster')
        time.sleep(0.05)
        number = int(params['pageNum'])
        return {'rayClusters': [{'clusterId': '%d-%d' % (number, index)} for index in range(10)]}

    with pytest.raises(CloudError) as info:
        list_all(NO_TOTAL, fetch, identity, page_size=10, concurrency=2, deadline=deadline)
    assert info.value.deadline
    assert 'deadline of 0.3 s reached after' in str(info.value)
    assert 'page(s) read; last error:' in str(info.value) and 'slow' in str(info.value)


def test_a_body_that_is_the_item_list_and_no_paging():
    """An endpoint may declare items=None (the body is the list) and Unpaged: one request, no params."""
    from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import Endpoint, Unpaged
    bare = Endpoint(name='bare', cloud='alibaba', service='x', action='ListBare', version=None, path='/api/x/',
                    params=(), paging=Unpaged(), items=None, item_id='id', result_key='items')
    seen = []

    def fetch(params, limiter, check):
        seen.append(params)
        body = [{'id': str(index)} for index in range(250)]
        check(body)
        return body

    listing = list_all(bare, fetch, identity, page_size=None, concurrency=4)
    assert seen == [{}]
    assert len(listing.items) == 250 and listing.complete is True
    for bad in ({'items': []}, [1], ['a'], None):
        with pytest.raises(Malformed):
            page_check(bare)(bad)


# --- Limiter ------------------------------------------------------------------------------------

def test_limiter_halves_on_throttle_and_never_goes_below_one():
    limiter = Limiter(8)
    seen = []
    for dummy in range(5):
        limiter.acquire()
        limiter.release(throttled=True)
        seen.append(limiter.limit)
    assert seen == [4.0, 2.0, 1.0, 1.0, 1.0]
    assert limiter.throttled == 5
    assert limiter.lowest == 1


def test_limiter_grows_back_additively_and_never_above_max():
    limiter = Limiter(4)
    for dummy in range(3):
        limiter.acquire()
        limiter.release(throttled=True)
    assert limiter.limit == 1.0
    limiter.acquire()
    limiter.release()
    assert limiter.limit == 2.0  # one window of successes at limit 1 adds one slot
    limiter.acquire()
    limiter.release()
    assert limiter.limit == pytest.approx(2.5)  # +1/limit per success: about one slot per window
    limiter.acquire()
    limiter.release()
    assert limiter.limit == pytest.approx(2.9)
    previous = limiter.limit
    for dummy in range(100):
        limiter.acquire()
        limiter.release()
        assert previous <= limiter.limit <= 4.0
        previous = limiter.limit
    assert limiter.limit == 4.0
    assert limiter.lowest == 1


def test_limiter_minimum_of_one():
    assert Limiter(0).maximum == 1
    assert Limiter(-3).limit == 1.0


def _run_in_threads(limiter, threads=12, hold=0.02, throttle=False):
    state = {'now': 0, 'peak': 0}
    lock = threading.Lock()

    def work():
        limiter.acquire()
        with lock:
            state['now'] += 1
            state['peak'] = max(state['peak'], state['now'])
        time.sleep(hold)
        with lock:
            state['now'] -= 1
        limiter.release(throttled=throttle)

    workers = [threading.Thread(target=work) for dummy in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert not any(worker.is_alive() for worker in workers)
    return state['peak']


def test_limiter_bounds_requests_in_flight():
    limiter = Limiter(3)
    assert _run_in_threads(limiter) == 3
    assert limiter.in_flight == 0


def test_limiter_after_throttling_allows_one_at_a_time():
    limiter = Limiter(6)
    for dummy in range(4):
        limiter.acquire()
        limiter.release(throttled=True)
    assert _run_in_threads(limiter, threads=6, hold=0.01, throttle=True) == 1


def test_listing_limiter_is_bounded_by_concurrency():
    peak = {'now': 0, 'max': 0}
    lock = threading.Lock()
    api = FakeApi(WITH_TOTAL, 200)

    def fetch(params, limiter, check):
        limiter.acquire()
        try:
            with lock:
                peak['now'] += 1
                peak['max'] = max(peak['max'], peak['now'])
            time.sleep(0.005)
            return api(params, limiter, check)
        finally:
            with lock:
                peak['now'] -= 1
            limiter.release()

    listing = list_all(WITH_TOTAL, fetch, identity, page_size=10, concurrency=3)
    assert len(listing.items) == 200
    assert 1 < peak['max'] <= 3
    assert listing.limiter.maximum == 3


# --- One response for the whole listing, the body being the item list ---------------------------

class Bare(object):
    """An endpoint whose single response is a JSON array of items (Ray's GET /api/jobs/)."""

    id_of = Endpoint.id_of

    def __init__(self):
        from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import Unpaged
        self.paging = Unpaged()
        self.items = None
        self.item_id = 'submission_id'
        self.alternate_ids = ('job_id',)
        self.total = None
        self.failure = None
        self.action = 'GET /api/jobs/'


def served(body):
    """A fetch answering ``body`` to every page, checked as the transport checks it."""
    def fetch(params, limiter, check):
        try:
            check(body)
        except Malformed as exc:
            raise CloudError('malformed response body: %s' % exc, retryable=True)
        return body
    return fetch


def test_an_unpaged_listing_is_one_request_of_the_bare_body():
    calls = []
    body = [{'submission_id': 's%d' % number} for number in range(250)]

    def fetch(params, limiter, check):
        calls.append(params)
        check(body)
        return body

    listing = list_all(Bare(), fetch, identity, None, concurrency=8, recheck=True)
    assert calls == [{}]
    assert listing.items == body and listing.complete and listing.total is None and listing.warnings == []


def test_an_unpaged_listing_keeps_max_items_duplicates_and_items_without_an_id():
    body = [{'submission_id': 'a'}, {'submission_id': 'a'}, {'job_id': 'driver'}, {'submission_id': 'b'}]
    listing = list_all(Bare(), served(body), identity, None)
    assert listing.items == [{'submission_id': 'a'}, {'job_id': 'driver'}, {'submission_id': 'b'}]
    assert not listing.complete and 'more than one page' in listing.warnings[0]
    assert list_all(Bare(), served(body), identity, None, max_items=1).items == body[:1]


@pytest.mark.parametrize('body', [{}, {'jobs': []}, 'text', 3, None])
def test_an_unpaged_body_that_is_not_a_list_is_malformed(body):
    with pytest.raises(CloudError) as info:
        list_all(Bare(), served(body), identity, None)
    assert 'malformed response body' in str(info.value) and 'item list at the top level' in str(info.value)


def test_a_paged_endpoint_refuses_a_list_body():
    with pytest.raises(CloudError) as info:
        list_all(WITH_TOTAL, served([{'submissionId': 'a'}]), identity, 10)
    assert 'no item list at rayJobs' in str(info.value)


def test_an_item_without_its_id_is_identified_by_an_alternate_one():
    # Ray: a DRIVER job has a job_id and no submission_id; the same driver twice is one item.
    body = [{'submission_id': 'a', 'job_id': '01'}, {'submission_id': None, 'job_id': '02'},
            {'submission_id': None, 'job_id': '02'}, {'submission_id': None, 'job_id': None}]
    listing = list_all(Bare(), served(body), identity, None)
    assert listing.items == [body[0], body[1], body[3]] and not listing.complete
    assert Bare().id_of(body[1]) == '02' and Bare().id_of(body[0]) == 'a' and Bare().id_of(body[3]) is None
    assert Bare().id_of({'submission_id': ['garbled'], 'job_id': '03'}) is None
