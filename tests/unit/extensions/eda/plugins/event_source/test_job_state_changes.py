# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The job_state_changes event source with a mock queue: change detection, the baseline and emit_initial,
incomplete listings, filters, the error policy, secrets in messages, cancellation, and its arguments for
every endpoint of the table."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from ansible_collections.jobscope.cloud.extensions.eda.plugins.event_source import job_state_changes as source
from ansible_collections.jobscope.cloud.plugins.module_utils import listing
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.paging import Listing
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import REDACTED
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError

SECRET = 'sk-Unit-Test-Secret-42'
TOKEN = 'tok-Unit-Test-Token-77'


class MockQueue(object):
    """What ansible-rulebook hands a source: something with an async put."""

    def __init__(self):
        self.events = []

    async def put(self, event):
        self.events.append(event)

    def changes(self):
        return [(e['jobscope']['change'], e['jobscope']['id'], e['jobscope']['old_state'],
                 e['jobscope']['new_state']) for e in self.events]


def cluster(key, state, **extra):
    item = {'cluster_id': key, 'state': state, 'name': 'c-%s' % key}
    item.update(extra)
    return item


def tracker(emit_initial=False, wanted=None, state_key='state'):
    return source.ChangeTracker('emr_ray_cluster', 'cluster_id', state_key, emit_initial, wanted)


def changes(events):
    return [(e['jobscope']['change'], e['jobscope']['id'], e['jobscope']['old_state'],
             e['jobscope']['new_state']) for e in events]


# ---------------------------------------------------------------------------------------------
# Change detection


def test_baseline_is_silent_then_only_changes_are_events():
    track = tracker()
    assert track.update([cluster('a', 'Starting'), cluster('b', 'Running')], True) == []
    assert track.update([cluster('a', 'Starting'), cluster('b', 'Running')], True) == []
    events = track.update([cluster('a', 'Running'), cluster('b', 'Running'), cluster('c', 'Starting')], True)
    assert changes(events) == [('changed', 'a', 'Starting', 'Running'), ('appeared', 'c', None, 'Starting')]
    events = track.update([cluster('c', 'Starting')], True)
    assert changes(events) == [('disappeared', 'a', 'Running', None), ('disappeared', 'b', 'Running', None)]
    assert track.update([cluster('c', 'Starting')], True) == []


def test_event_fields():
    track = tracker()
    track.update([cluster('a', 'Starting')], True)
    moved = cluster('a', 'Running', dashboard_url='https://x/?token=********')
    event, = track.update([moved], True)
    body = event['jobscope']
    assert set(event) == {'jobscope'}
    assert set(body) == {'source', 'change', 'id', 'old_state', 'new_state', 'item', 'complete', 'time'}
    assert body['source'] == 'emr_ray_cluster'
    assert body['item'] == moved
    assert body['complete'] is True
    assert body['time'].endswith('Z') and body['time'][:2] == '20'
    gone, = track.update([], True)
    assert gone['jobscope']['item'] == moved  # the last item seen


def test_other_fields_changing_is_no_event():
    track = tracker()
    track.update([cluster('a', 'Running', duration=1)], True)
    assert track.update([cluster('a', 'Running', duration=2)], True) == []


def test_emit_initial_sends_the_first_listing_once():
    track = tracker(emit_initial=True)
    events = track.update([cluster('a', 'Starting'), cluster('b', 'Running')], True)
    assert changes(events) == [('appeared', 'a', None, 'Starting'), ('appeared', 'b', None, 'Running')]
    assert track.update([cluster('a', 'Starting'), cluster('b', 'Running')], True) == []


def test_incomplete_listing_never_produces_disappeared():
    track = tracker()
    track.update([cluster('a', 'Running'), cluster('b', 'Running')], True)
    events = track.update([cluster('a', 'Stopped')], False)
    assert changes(events) == [('changed', 'a', 'Running', 'Stopped')]
    assert events[0]['jobscope']['complete'] is False
    # b is still known: the next complete listing that shows it unchanged is silent,
    assert track.update([cluster('a', 'Stopped'), cluster('b', 'Running')], True) == []
    # and one that lacks it reports it gone.
    assert changes(track.update([cluster('a', 'Stopped')], True)) == [('disappeared', 'b', 'Running', None)]


def test_incomplete_baseline_does_not_report_missed_items_as_new():
    track = tracker()
    assert track.update([cluster('a', 'Running')], False) == []
    # b existed all along; the incomplete baseline missed it: no appeared, no disappeared of anything.
    assert track.update([cluster('a', 'Running'), cluster('b', 'Running')], True) == []
    assert changes(track.update([cluster('a', 'Running'), cluster('b', 'Running'), cluster('c', 'New')], True)) \
        == [('appeared', 'c', None, 'New')]


def test_state_change_seen_in_an_incomplete_baseline_is_reported():
    track = tracker()
    track.update([cluster('a', 'Starting')], False)
    assert changes(track.update([cluster('a', 'Running')], False)) == [('changed', 'a', 'Starting', 'Running')]


def test_lists_without_state_report_membership():
    track = tracker(state_key=None)
    track.update([{'cluster_id': 1, 'quota_nickname': 'q'}], True)
    events = track.update([{'cluster_id': 1, 'quota_nickname': 'other'}, {'cluster_id': 2}], True)
    assert changes(events) == [('appeared', 2, None, None)]
    assert changes(track.update([{'cluster_id': 2}], True)) == [('disappeared', 1, None, None)]


def test_items_without_usable_id_are_skipped():
    track = tracker()
    track.update([{'state': 'Running'}, cluster(['x'], 'Running'), cluster('a', 'Running')], True)
    assert track.update([{'state': 'Stopped'}, cluster(['x'], 'Stopped'), cluster('a', 'Running')], True) == []


def test_every_endpoint_has_an_id_key_and_a_state_rule():
    for endpoint in ENDPOINTS.values():
        assert endpoint.item_id
        assert endpoint.lifecycle is None or endpoint.lifecycle == endpoint.state
    assert ENDPOINTS['maxcompute_running_job'].lifecycle is None
    assert ENDPOINTS['octopus_queued_job'].lifecycle is None
    assert ENDPOINTS['emr_ray_cluster'].lifecycle == 'state'
    assert ENDPOINTS['pai_dlc_job'].lifecycle == 'status'


# ---------------------------------------------------------------------------------------------
# Filters


@pytest.mark.parametrize('kwargs, expected', [
    (dict(changes=['changed']), [('changed', 'a', 'Starting', 'Running'), ('changed', 'b', 'Running', 'Failed')]),
    (dict(states=['Running']), [('changed', 'a', 'Starting', 'Running'), ('disappeared', 'c', 'Running', None)]),
    (dict(transitions=[{'to': ['Failed']}]), [('changed', 'b', 'Running', 'Failed')]),
    (dict(transitions=[{'from': ['Starting'], 'to': ['Running']}]), [('changed', 'a', 'Starting', 'Running')]),
    (dict(transitions=[{'from': ['Running']}]),
     [('changed', 'b', 'Running', 'Failed'), ('disappeared', 'c', 'Running', None)]),
    (dict(changes=['appeared'], states=['Starting']), [('appeared', 'd', None, 'Starting')]),
    (dict(transitions=[{'to': ['Failed']}, {'to': ['Starting']}]),
     [('changed', 'b', 'Running', 'Failed'), ('appeared', 'd', None, 'Starting')]),
])
def test_filters(kwargs, expected):
    track = tracker(wanted=source.EventFilter(**kwargs))
    track.update([cluster('a', 'Starting'), cluster('b', 'Running'), cluster('c', 'Running')], True)
    events = track.update([cluster('a', 'Running'), cluster('b', 'Failed'), cluster('d', 'Starting')], True)
    assert changes(events) == expected


def test_filtered_out_changes_still_update_the_known_state():
    track = tracker(wanted=source.EventFilter(transitions=[{'from': ['Starting'], 'to': ['Running']}]))
    track.update([cluster('a', 'Starting')], True)
    assert track.update([cluster('a', 'Error')], True) == []
    assert track.update([cluster('a', 'Running')], True) == []  # Error -> Running is not Starting -> Running


# ---------------------------------------------------------------------------------------------
# The polling loop and its error policy (no thread, no real sleep)


class Script(object):
    """A poll that returns or raises what a list of steps says, one step per call."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        step = self.steps.pop(0) if self.steps else Stop()
        if isinstance(step, BaseException):
            raise step
        return step


class Stop(BaseException):
    """Ends a scripted run; a BaseException, as cancellation is, so the source does not take it for a bug."""


async def direct(function):
    return function()


def watcher(poll, max_failures=3, interval=10.0, secrets=None, **kwargs):
    sleeps = []

    async def sleep(seconds):
        sleeps.append(seconds)

    watch = source.Watcher('emr_ray_cluster', poll, tracker(**kwargs), interval, max_failures,
                           secrets=secrets, sleep=sleep, run=direct)
    return watch, sleeps


def run(coroutine):
    return asyncio.run(coroutine)


def transient(code='ServiceUnavailable', status=503, **kwargs):
    return CloudError('service unavailable', status=status, code=code, request_id='REQ-T', operation='ListRayCluster',
                      retryable=True, **kwargs)


def test_transient_failures_back_off_and_polling_goes_on():
    poll = Script(([cluster('a', 'Starting')], True, []), transient(), transient(),
                  ([cluster('a', 'Running')], True, []))
    watch, sleeps = watcher(poll)
    queue = MockQueue()
    with pytest.raises(Stop):
        run(watch.run(queue))
    assert queue.changes() == [('changed', 'a', 'Starting', 'Running')]
    # interval after the success, then two growing backoffs, then the interval again
    assert sleeps[0] == pytest.approx(10.0, abs=0.5)
    assert 7.5 <= sleeps[1] <= 10.0 and 15.0 <= sleeps[2] <= 20.0
    assert watch.failures == 0


def test_failed_listing_never_produces_disappeared():
    poll = Script(([cluster('a', 'Running')], True, []), transient(), ([cluster('a', 'Running')], True, []))
    watch, _sleeps = watcher(poll)
    queue = MockQueue()
    with pytest.raises(Stop):
        run(watch.run(queue))
    assert queue.events == []


def test_retry_after_is_a_floor_for_the_backoff():
    poll = Script(transient(code='Throttling', status=429, throttled=True, retry_after=42.0))
    watch, sleeps = watcher(poll, interval=1.0)
    with pytest.raises(Stop):
        run(watch.run(MockQueue()))
    assert sleeps == [pytest.approx(42.0)]


def test_consecutive_failures_end_the_source_with_the_vendor_facts():
    poll = Script(([], True, []), transient(), ([], True, []), transient(), transient(), transient())
    watch, _sleeps = watcher(poll, max_failures=3)
    with pytest.raises(source.SourceError) as caught:
        run(watch.run(MockQueue()))
    message = str(caught.value)
    assert '3 consecutive listings failed' in message
    assert 'ServiceUnavailable' in message and 'REQ-T' in message
    assert poll.calls == 6  # the success in between reset the count


@pytest.mark.parametrize('error', [
    CloudError('Specified signature does not match our calculation.', status=400, code='SignatureDoesNotMatch',
               request_id='REQ-SIG', operation='ListRayCluster'),
    CloudError('Specified access key is not found.', status=404, code='InvalidAccessKeyId.NotFound',
               request_id='REQ-SIG', operation='ListJobs'),
    CloudError('Incorrect IAM authentication information', status=401, code='APIG.0301', request_id='REQ-SIG'),
    CloudError('forbidden', status=403, code='octopus.403001', request_id='REQ-SIG'),
])
def test_errors_that_cannot_heal_end_the_source_at_once(error):
    poll = Script(([], True, []), error, ([], True, []))
    watch, _sleeps = watcher(poll, max_failures=5)
    with pytest.raises(source.SourceError) as caught:
        run(watch.run(MockQueue()))
    assert poll.calls == 2
    assert error.code in str(caught.value) and 'REQ-SIG' in str(caught.value)
    assert 'cannot heal' in str(caught.value)


@pytest.mark.parametrize('error', [
    CloudError('connection reset'),  # no status: the network
    CloudError('malformed response body', status=200, retryable=True),
    CloudError('internal', status=500, code='InternalError'),
    CloudError('throttled', status=400, code='Throttling.User', throttled=True, retryable=True),
])
def test_errors_that_may_heal_are_retried(error):
    poll = Script(error, ([], True, []))
    watch, _sleeps = watcher(poll, max_failures=2)
    with pytest.raises(Stop):
        run(watch.run(MockQueue()))
    assert poll.calls == 3


def test_secrets_never_reach_messages_or_logs(caplog):
    leaky = CloudError('echo %s and %s' % (SECRET, TOKEN), status=503, code='ServiceUnavailable',
                       request_id='REQ-L', retryable=True)
    poll = Script(leaky, leaky)
    watch, _sleeps = watcher(poll, max_failures=2, secrets={SECRET, TOKEN})
    caplog.set_level(logging.DEBUG)
    with pytest.raises(source.SourceError) as caught:
        run(watch.run(MockQueue()))
    for text in (str(caught.value), caplog.text):
        assert SECRET not in text and TOKEN not in text
        assert 'REQ-L' in text
    assert REDACTED in str(caught.value)


def test_messages_lose_secrets_in_any_form_and_tokens_in_urls():
    secret = 'sk/Unit+Test=42'
    encoded = 'sk%2FUnit%2BTest%3D42'
    message = source.scrub('bad %s and %s at https://h/p?token=dashtok-abc123\n(request id R)' % (secret, encoded),
                           {secret})
    assert secret not in message and encoded not in message and 'dashtok-abc123' not in message
    assert message.count(REDACTED) == 3
    assert message.endswith('(request id R)') and '\n' not in message


def test_an_unexpected_error_ends_the_source_loudly_without_secrets():
    poll = Script(([], True, []), ValueError('garbled at https://h/?token=%s' % SECRET))
    watch, _sleeps = watcher(poll, secrets={SECRET})
    with pytest.raises(source.SourceError) as caught:
        run(watch.run(MockQueue()))
    assert 'unexpected ValueError' in str(caught.value) and SECRET not in str(caught.value)


def test_listing_warnings_are_logged(caplog):
    poll = Script(([cluster('a', 'Running')], False, ['the listing changed while it was read']))
    watch, _sleeps = watcher(poll)
    caplog.set_level(logging.WARNING)
    with pytest.raises(Stop):
        run(watch.run(MockQueue()))
    assert 'the listing changed while it was read' in caplog.text


# ---------------------------------------------------------------------------------------------
# Arguments: the info module's options for any endpoint, with the environment as fallback


# Each cloud's environment chain (credentials and where to connect), so that every endpoint of the table,
# whatever its cloud, is built from its filters alone.
ENV = {'ALIBABA_CLOUD_ACCESS_KEY_ID': 'AK', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': SECRET,
       'ALIBABA_CLOUD_REGION_ID': 'cn-hangzhou',
       'HUAWEICLOUD_SDK_AK': 'HAK', 'HUAWEICLOUD_SDK_SK': SECRET, 'HUAWEICLOUD_SDK_REGION': 'cn-north-11',
       'HUAWEICLOUD_SDK_PROJECT_ID': '0123456789abcdef0123456789abcdef',
       'RAY_ADDRESS': 'http://127.0.0.1:8265', 'RAY_AUTH_TOKEN': SECRET}
REQUIRED_VALUES = {'str': 'x', 'time': 1700000000, 'int': 1, 'bool': True, 'list': ['x'], 'map': {'k': 'v'},
                   'raw': 'x'}


def required_args(endpoint):
    """A value for each required filter; required times ascend in declaration order (a window from, to)."""
    args = {}
    for index, param in enumerate(param for param in endpoint.params if param.required):
        args[param.option] = REQUIRED_VALUES[param.kind] + index * 3600 if param.kind == 'time' \
            else REQUIRED_VALUES[param.kind]
    return args


@pytest.fixture
def env(monkeypatch, tmp_path):
    for key in list(ENV):
        monkeypatch.setenv(key, ENV[key])
    monkeypatch.setenv('HOME', str(tmp_path))

    def refuse(*args, **kwargs):
        raise AssertionError('a request was attempted')

    monkeypatch.setattr(listing, 'Transport', refuse)


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_every_endpoint_is_a_source(env, name):
    endpoint = ENDPOINTS[name]
    args = dict(required_args(endpoint), source=name, interval='2')
    watch = source.build(args)
    assert watch.interval == 2.0
    assert watch.tracker.state_key == endpoint.lifecycle
    assert SECRET in watch.secrets  # from the environment chain: known, so scrubbed from messages
    spec = source.event_spec(endpoint)
    for param in endpoint.params:
        assert param.option in spec
    for option in endpoint.cloud.spec:
        assert option in spec  # credentials and where to connect, as the module names them
    for option in ('timeout', 'validate_certs', 'max_retries'):
        assert option in spec
    for option in source.NOT_FOR_EVENTS:
        assert option not in spec


@pytest.mark.parametrize('given', ['pai_dlc_job', 'pai_dlc_job_info', 'jobscope.cloud.pai_dlc_job_info'])
def test_source_names_a_listing_as_the_gate_role_does_too(env, given):
    watch = source.build({'source': given, 'endpoint': 'http://127.0.0.1:9'})
    assert watch.source == 'pai_dlc_job' and watch.tracker.source == 'pai_dlc_job'


@pytest.mark.parametrize('args, words', [
    ({'source': 'no_such_listing'}, ['source must be one of', 'emr_ray_cluster']),
    ({'source': ['emr_ray_cluster']}, ['source must be one of']),
    ({'source': 'other.collection.emr_ray_cluster_info'}, ['source must be one of']),
    ({}, ['source must be one of']),
    ({'source': 'emr_ray_cluster'}, ['workspace_id']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'colour': 'red'}, ['colour']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'wait': {'until': 'x'}}, ['wait']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'max_items': 3}, ['max_items']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'redact': False}, ['redact']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'interval': 0}, ['interval']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'interval': 'soon'}, ['interval']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'max_failures': 0}, ['max_failures']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'changes': ['vanished']}, ['changes']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'transitions': [{}]}, ['transitions']),
    ({'source': 'emr_ray_cluster', 'workspace_id': 'w', 'endpoint': 'ftp://x'}, ['endpoint']),
    ({'source': 'pai_dlc_job', 'order': 'sideways', 'endpoint': 'http://127.0.0.1:9'}, ['order']),
    ({'source': 'maxcompute_running_job', 'from_time': 'now', 'to_time': '-1h',
      'endpoint': 'http://127.0.0.1:9'}, ['from_time']),
])
def test_bad_arguments_fail_before_any_request_naming_the_argument(env, args, words):
    args = dict(args, access_key_id='AK', access_key_secret=SECRET)
    with pytest.raises(source.SourceError) as caught:
        source.build(args)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert SECRET not in message


def test_missing_credentials_are_reported(monkeypatch, tmp_path):
    for key in list(ENV):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv('HOME', str(tmp_path))
    with pytest.raises(source.SourceError) as caught:
        source.build({'source': 'pai_dlc_job', 'endpoint': 'http://127.0.0.1:9'})
    assert 'credentials' in str(caught.value)


def test_main_lists_through_the_modules_plan_in_a_thread(env, monkeypatch):
    """main() runs Plan.run (the modules' path) off the event loop and sends shaped items."""
    threads = []
    pages = [[cluster('a', 'Starting')], [cluster('a', 'Running')]]

    def fake_run(plan):
        threads.append(threading.current_thread().name)
        listed = Listing()
        listed.items = pages.pop(0) if len(pages) > 1 else pages[0]
        return {}, listed

    monkeypatch.setattr(listing.Plan, 'run', fake_run)
    queue = asyncio.Queue()

    async def scenario():
        task = asyncio.ensure_future(source.main(queue, {'source': 'emr_ray_cluster', 'workspace_id': 'w',
                                                         'endpoint': 'http://127.0.0.1:9', 'interval': 0.1}))
        event = await asyncio.wait_for(queue.get(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return event

    event = run(scenario())
    assert event['jobscope']['change'] == 'changed' and event['jobscope']['new_state'] == 'Running'
    assert threads and all(name == 'jobscope-listing' for name in threads)
    assert threading.current_thread().name not in threads


# ---------------------------------------------------------------------------------------------
# Cancellation


def test_cancellation_during_a_listing_is_immediate(env, monkeypatch):
    """A listing stuck on the network does not hold the rulebook's shutdown."""
    release = threading.Event()

    def stuck(plan):
        release.wait(30)
        return {}, Listing()

    monkeypatch.setattr(listing.Plan, 'run', stuck)

    async def scenario():
        task = asyncio.ensure_future(source.main(MockQueue(), {'source': 'emr_ray_cluster', 'workspace_id': 'w',
                                                               'endpoint': 'http://127.0.0.1:9'}))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - started

    try:
        assert run(scenario()) < 1.0
    finally:
        release.set()


def test_cancellation_during_the_wait_is_immediate(env, monkeypatch):
    monkeypatch.setattr(listing.Plan, 'run', lambda plan: ({}, Listing()))

    async def scenario():
        task = asyncio.ensure_future(source.main(MockQueue(), {'source': 'emr_ray_cluster', 'workspace_id': 'w',
                                                               'endpoint': 'http://127.0.0.1:9', 'interval': 60}))
        await asyncio.sleep(0.3)  # the first listing is done; the source now waits out its interval
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - started

    assert run(scenario()) < 1.0


def test_an_item_without_its_id_is_followed_by_an_alternate_one():
    # Ray: a DRIVER job has a job_id and no submission_id.
    tracker = source.ChangeTracker('ray_job', ('submission_id', 'job_id'), 'status')
    first = [{'submission_id': 's1', 'job_id': None, 'status': 'RUNNING'},
             {'submission_id': None, 'job_id': '02000000', 'status': 'RUNNING'}]
    assert tracker.update(first, True) == []
    second = [dict(first[0]), dict(first[1], status='SUCCEEDED')]
    events = [event['jobscope'] for event in tracker.update(second, True)]
    assert [(event['id'], event['old_state'], event['new_state']) for event in events] == \
        [('02000000', 'RUNNING', 'SUCCEEDED')]
