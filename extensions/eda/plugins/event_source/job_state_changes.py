# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""An ansible-rulebook event source: one event per change of state of a job or cluster listing.

ansible-rulebook runs this file with ``runpy.run_path`` and calls ``main(queue, args)``; the listing is the
collection's own (``listing.Plan``), run in a thread so the event loop never blocks on the network.
"""

from __future__ import annotations

DOCUMENTATION = r'''
---
short_description: Events when jobs and clusters of a jobscope.cloud listing change state
description:
  - An ansible-rulebook event source that lists one of the collection's job or cluster listings every
    O(interval) seconds and sends an event only when an item appeared, changed state or disappeared.
  - The listing is the one the info module of the same name runs (same signing, paging, shaping and
    redaction), so every filter, credential and connection option of that module is an argument of this
    source under the same name, except C(wait), C(max_items), C(redact) and C(fields). Credentials fall back
    to the cloud's environment variables and files exactly as the module's do; the EDA controller injects
    credentials as extra variables that the rulebook templates into these arguments.
  - 'Each event is C({"jobscope": {"source", "change", "id", "old_state", "new_state", "item", "complete",
    "time"}}). C(change) is C(appeared), C(changed) (the state field changed) or C(disappeared); C(item) is
    the shaped, redacted item (for C(disappeared), the last one seen); C(complete) is whether the listing
    that showed the change was complete; C(time) is when the change was seen (ISO 8601, UTC).'
  - For the lists that carry no state (C(maxcompute_running_job), C(octopus_queued_job)), C(appeared) means
    the job started running or was queued, C(disappeared) that it left the list; both states are null.
  - The first listing is a baseline and sends nothing unless O(emit_initial=true). An incomplete listing
    (C(complete=false)) or a failed one never produces a C(disappeared) event.
  - A failed listing (after the transport's own retries) is tried again after a backoff while polling
    goes on. After O(max_failures) consecutive failed listings, or at once for an error that retrying cannot
    heal (any 4xx answer that is not throttling, such as a rejected signature or an unknown access key),
    the source raises an error naming the vendor's code and request id, which ends the rulebook.
  - Neither events nor log messages carry a credential or a redacted secret.
options:
  source:
    description:
      - The listing to watch, named as its info module without C(_info) (C(emr_ray_cluster), C(emr_ray_job),
        C(pai_dlc_job), C(maxcompute_running_job), C(octopus_queued_job), C(ray_job), and any listing added
        later).
      - The info module's name (C(emr_ray_cluster_info), as the job_gate role names sources) or its FQCN
        names the same listing. Events carry the listing's name without C(_info).
    type: str
    required: true
  interval:
    description:
      - Seconds from the start of one listing to the start of the next.
    type: float
    default: 30
  emit_initial:
    description:
      - Send the items of the first listing as C(appeared) events. By default the first listing is a
        silent baseline, so a restarted rulebook does not replay what it already saw.
    type: bool
    default: false
  changes:
    description:
      - Send only these kinds of change.
    type: list
    elements: str
    choices: [appeared, changed, disappeared]
  states:
    description:
      - Send only changes into one of these states (C(new_state)); for C(disappeared), the state the item
        had (C(old_state)).
    type: list
    elements: str
  transitions:
    description:
      - Send only changes matching one of these transitions. Each has C(from) and/or C(to), a state or a
        list of states; an absent key matches any state (also no state, as for C(appeared)).
    type: list
    elements: dict
  max_failures:
    description:
      - Consecutive failed listings after which the source fails and ends the rulebook.
      - The waits between them grow from O(interval) to 2, 4, 8... times O(interval), at most 300 seconds
        (or O(interval) if longer), so the default tolerates an outage of several minutes.
    type: int
    default: 5
  workspace_id:
    description:
      - One of the listing's filters, as an example; see the info module of O(source) for all of them
        (for example M(jobscope.cloud.pai_dlc_job_info) for C(pai_dlc_job)).
    type: str
  access_key_id:
    description:
      - Credentials and connection options (C(access_key_id), C(access_key_secret), C(security_token),
        C(profile), C(region), C(endpoint), C(validate_certs), C(timeout), C(max_retries), and for Huawei
        Cloud C(auth_token) and C(project_id)) as the info module takes them.
    type: str
notes:
  - Needs ansible-core and requests in the environment that runs ansible-rulebook (a decision environment
    has both).
version_added: 1.0.0
'''

EXAMPLES = r'''
- name: Deploy when a Ray cluster comes up
  hosts: all
  sources:
    - jobscope.cloud.job_state_changes:
        source: emr_ray_cluster
        workspace_id: w-d2d82aa09155
        region: cn-hangzhou
        access_key_id: "{{ alibaba_access_key_id }}"
        access_key_secret: "{{ alibaba_access_key_secret }}"
        interval: 30
        transitions:
          - to: Running
  rules:
    - name: Deploy on the new cluster
      condition: event.jobscope.change == "changed" and event.jobscope.new_state == "Running"
      action:
        run_playbook:
          name: deploy_ray_app.yml

- name: Open a ticket when a training job fails
  hosts: all
  sources:
    - jobscope.cloud.job_state_changes:
        source: pai_dlc_job
        workspace_id: "268"
        states: [Failed]
  rules:
    - name: Notify
      condition: event.jobscope.new_state == "Failed"
      action:
        run_playbook:
          name: notify_dlc_failure.yml
'''

import asyncio
import datetime
import logging
import os
import random
import sys
import threading
import time

PLUGIN = 'jobscope.cloud.job_state_changes'


def _collections_root(path):
    """The directory that holds ansible_collections/jobscope/cloud, from this file's path, or None."""
    collection = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(path)))))
    names = collection.split(os.sep)[-3:]
    if names != ['ansible_collections', 'jobscope', 'cloud']:
        return None
    return os.path.dirname(os.path.dirname(os.path.dirname(collection)))


def _import_path():
    """Put this collection's root first on sys.path: ansible-rulebook runs this file as a script (runpy),
    not as part of a package, so the shared code is imported from the same installed collection."""
    here = os.path.abspath(globals().get('__file__') or '')
    root = _collections_root(here)
    if root and root not in sys.path:
        sys.path.insert(0, root)
    return root


_ROOT = _import_path()

try:
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible_collections.jobscope.cloud.plugins.module_utils import listing as _listing
    from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
    from ansible_collections.jobscope.cloud.plugins.module_utils.info import argument_spec
    from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError
    from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import Scrubber, snake
    from ansible_collections.jobscope.cloud.plugins.module_utils.transport import (
        CloudError, HAS_REQUESTS, REQUESTS_IMPORT_ERROR)
except ImportError as exc:  # pragma: no cover - depends on how the collection is installed
    raise ImportError('%s needs ansible-core, requests and the jobscope.cloud collection installed as '
                      'ansible_collections/jobscope/cloud in a collections path (ansible-galaxy collection '
                      'install jobscope.cloud); import failed: %s' % (PLUGIN, exc))

logger = logging.getLogger(PLUGIN)

CHANGES = ('appeared', 'changed', 'disappeared')
# Options of the info modules that make no sense for change events: a gate, a truncated listing (which
# would look like disappearances), unredacted items (events must never carry secrets) and a projection
# (which could drop the ID or the state that changes are detected by).
NOT_FOR_EVENTS = ('wait', 'max_items', 'redact', 'fields')
BACKOFF_CAP = 300.0
INTERVAL_RANGE = (0.1, 86400.0)

SOURCE_SPEC = dict(
    source=dict(type='str', required=True),
    interval=dict(type='float', default=30.0),
    emit_initial=dict(type='bool', default=False),
    changes=dict(type='list', elements='str', choices=list(CHANGES)),
    states=dict(type='list', elements='str'),
    transitions=dict(type='list', elements='dict', options={
        'from': dict(type='list', elements='str'),
        'to': dict(type='list', elements='str'),
    }),
    max_failures=dict(type='int', default=5),
)


class SourceError(Exception):
    """The source cannot go on; ansible-rulebook logs the message and ends the rulebook."""


def event_spec(endpoint):
    """The arguments for one listing: the info module's options (less NOT_FOR_EVENTS) plus the source's."""
    spec = dict((name, value) for name, value in argument_spec(endpoint).items() if name not in NOT_FOR_EVENTS)
    clash = set(spec) & set(SOURCE_SPEC)
    if clash:  # a new endpoint's filter must not shadow a source argument
        raise SourceError('%s: %s options %s clash with the source arguments' % (PLUGIN, endpoint.name,
                                                                                 ', '.join(sorted(clash))))
    spec.update(SOURCE_SPEC)
    return spec


def _secrets_of(endpoint, spec, args):
    """The secret values among the arguments as given: the no_log ones, and what the cloud finds inside others
    (a token in a URL)."""
    values = set(str(args[name]) for name, option in spec.items()
                 if option.get('no_log') and args.get(name) not in (None, ''))
    values.update(endpoint.cloud.secret_values(dict((key, value) for key, value in args.items()
                                                    if isinstance(value, str))))
    return values


def scrub(text, secrets):
    """A one-line message without the secret values in use (in any form a message may carry them) and without
    what the shared text rules find (tokens in URLs, credentials in command lines)."""
    return ' '.join(Scrubber(secrets)(str(text)).split())


def endpoint_name(source):
    """The endpoint a source argument names: emr_ray_cluster, emr_ray_cluster_info (as the job_gate role names
    it) or jobscope.cloud.emr_ray_cluster_info all name emr_ray_cluster."""
    if not isinstance(source, str):
        return None
    name = source[len('jobscope.cloud.'):] if source.startswith('jobscope.cloud.') else source
    return name[:-len('_info')] if name.endswith('_info') else name


def validate(args):
    """(endpoint, options) from the rulebook's arguments, checked as the info module checks its own.

    Raises SourceError naming the argument, before any request.
    """
    args = dict(args or {})
    args.pop('eda_feedback_queue', None)  # ansible-rulebook's own, for sources that take feedback
    name = endpoint_name(args.get('source'))
    if name not in ENDPOINTS:
        raise SourceError('%s: source must be one of %s (or its info module, as job_gate names it), got %r'
                          % (PLUGIN, ', '.join(sorted(ENDPOINTS)), args.get('source')))
    args['source'] = name
    endpoint = ENDPOINTS[name]
    spec = event_spec(endpoint)
    secrets = _secrets_of(endpoint, spec, args)
    result = ArgumentSpecValidator(spec).validate(args)
    if result.error_messages:
        raise SourceError('%s (source %s): %s' % (PLUGIN, name, scrub('; '.join(result.error_messages), secrets)))
    options = result.validated_parameters
    low, high = INTERVAL_RANGE
    if not low <= options['interval'] <= high:
        raise SourceError('%s: interval must be between %s and %s seconds, got %r'
                          % (PLUGIN, low, high, options['interval']))
    if options['max_failures'] < 1:
        raise SourceError('%s: max_failures must be at least 1, got %d' % (PLUGIN, options['max_failures']))
    for transition in options.get('transitions') or []:
        if transition.get('from') is None and transition.get('to') is None:
            raise SourceError('%s: each of transitions needs from and/or to, got %r' % (PLUGIN, transition))
    options['redact'] = True
    return endpoint, options


def permanent(exc):
    """Whether retrying cannot heal an error: a 4xx answer that is not throttling (a rejected signature, an
    unknown key, a refused filter). Network errors, 5xx and malformed answers may heal."""
    status = exc.status if isinstance(exc.status, int) and not isinstance(exc.status, bool) else None
    return status is not None and 400 <= status < 500 and not (exc.retryable or exc.throttled)


class EventFilter(object):
    """changes / states / transitions, all of them applying (each absent one lets everything through)."""

    def __init__(self, changes=None, states=None, transitions=None):
        self.changes = set(changes) if changes else None
        self.states = set(states) if states else None
        self.transitions = [(_state_set(t.get('from')), _state_set(t.get('to'))) for t in transitions or []]

    def __call__(self, change, old_state, new_state):
        if self.changes is not None and change not in self.changes:
            return False
        if self.states is not None:
            state = old_state if change == 'disappeared' else new_state
            if state is None or str(state) not in self.states:
                return False
        if self.transitions:
            return any(_matches(before, old_state) and _matches(after, new_state)
                       for before, after in self.transitions)
        return True


def _state_set(value):
    return None if value is None else set(str(state) for state in value)


def _matches(states, state):
    return states is None or (state is not None and str(state) in states)


class ChangeTracker(object):
    """What the last listings showed, and the events a new listing makes of it."""

    def __init__(self, source, id_key, state_key, emit_initial=False, wanted=None, clock=None):
        self.source = source
        self.id_key = id_key
        self.state_key = state_key  # None: being listed is the state
        self.emit_initial = emit_initial
        self.wanted = wanted or (lambda change, old, new: True)
        self.clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))
        self.known = {}  # id -> (state, item)
        # The baseline holds every item only once a complete listing has been seen; until then an item not
        # seen before may be one the incomplete listings missed, so it is not reported as new.
        self.baseline_complete = False

    def state_of(self, item):
        return item.get(self.state_key) if self.state_key else None

    def id_of(self, item):
        """The value of the first ID key the item holds (id_key may name several, in order)."""
        if not isinstance(item, dict):
            return None
        keys = (self.id_key,) if isinstance(self.id_key, str) else self.id_key
        return next((item[key] for key in keys if item.get(key) is not None), None)

    def update(self, items, complete):
        """The events for one listing, in listing order, then the disappearances."""
        now = _iso(self.clock())
        events = []

        def emit(change, key, old, new, item):
            if self.wanted(change, old, new):
                events.append({'jobscope': {
                    'source': self.source, 'change': change, 'id': key, 'old_state': old, 'new_state': new,
                    'item': item, 'complete': complete, 'time': now}})

        seen = set()
        for item in items:
            key = self.id_of(item)
            if key is None or isinstance(key, (dict, list)) or key in seen:
                continue  # an item without an ID cannot be followed from one listing to the next
            seen.add(key)
            state = self.state_of(item)
            if key in self.known:
                old = self.known[key][0]
                if old != state:
                    emit('changed', key, old, state, item)
            elif self.baseline_complete or self.emit_initial:
                emit('appeared', key, None, state, item)
            self.known[key] = (state, item)
        if complete:
            if self.baseline_complete:
                for key in [key for key in self.known if key not in seen]:
                    old, item = self.known.pop(key)
                    emit('disappeared', key, old, None, item)
            else:
                for key in [key for key in self.known if key not in seen]:
                    del self.known[key]  # gone before the baseline was whole: never reported as present
            self.baseline_complete = True
        return events


def _iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.') + \
        '%03dZ' % (moment.microsecond // 1000)


async def in_thread(function):
    """Run ``function`` in a daemon thread and await its result.

    Not the loop's default executor: asyncio.run() joins that at shutdown, so a listing in flight would hold
    a cancelled rulebook up for as long as its requests take. A cancelled wait leaves the thread to finish
    on its own; its result is dropped.
    """
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(result, error):
        if not future.done():
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)

    def target():
        try:
            result, error = function(), None
        except BaseException as exc:  # pylint: disable=broad-except  # handed to the awaiting task
            result, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:  # the loop closed meanwhile: nobody waits for this listing any more
            pass

    threading.Thread(target=target, name='jobscope-listing', daemon=True).start()
    return await future


class Watcher(object):
    """The polling loop: list, compare, send; back off on failures; fail loudly when it cannot go on."""

    def __init__(self, source, poll, tracker, interval, max_failures, secrets=None, sleep=None, run=None,
                 monotonic=None):
        self.source = source
        self.poll = poll              # () -> (items, complete, warnings); raises CloudError or OptionError
        self.tracker = tracker
        self.interval = interval
        self.max_failures = max_failures
        self.secrets = secrets if secrets is not None else set()  # shared with the poller, which adds the credentials it resolves
        self.sleep = sleep or asyncio.sleep
        self.run_listing = run or in_thread
        self.monotonic = monotonic or time.monotonic
        self.failures = 0

    def backoff(self, exc):
        """The wait after the n-th consecutive failure: interval * 2**(n-1), capped, jittered (up to -25%),
        never shorter than the server's Retry-After."""
        cap = max(self.interval, BACKOFF_CAP)
        delay = min(cap, self.interval * (2 ** min(self.failures - 1, 20)))
        delay *= random.uniform(0.75, 1.0)
        if isinstance(exc.retry_after, (int, float)) and exc.retry_after > 0:
            delay = max(delay, min(float(exc.retry_after), BACKOFF_CAP))
        return delay

    async def run(self, queue):
        while True:
            started = self.monotonic()
            try:
                items, complete, warnings = await self.run_listing(self.poll)
            except OptionError as exc:
                raise SourceError('%s (source %s): %s' % (PLUGIN, self.source, scrub(exc, self.secrets)))
            except CloudError as exc:
                self.failures += 1
                message = scrub(exc, self.secrets)
                if permanent(exc):
                    raise SourceError('%s (source %s): the listing failed with an error that retrying cannot '
                                      'heal: %s' % (PLUGIN, self.source, message))
                if self.failures >= self.max_failures:
                    raise SourceError('%s (source %s): %d consecutive listings failed; the last: %s'
                                      % (PLUGIN, self.source, self.failures, message))
                delay = self.backoff(exc)
                logger.warning('%s (source %s): listing failed (%d in a row; the source gives up at %d), next try '
                               'in %.1f s: %s', PLUGIN, self.source, self.failures, self.max_failures, delay, message)
                await self.sleep(delay)
                continue
            except Exception as exc:  # pylint: disable=broad-except  # a bug: loud, and without secrets
                raise SourceError('%s (source %s): unexpected %s: %s'
                                  % (PLUGIN, self.source, type(exc).__name__, scrub(exc, self.secrets)))
            self.failures = 0
            for warning in warnings:
                logger.warning('%s (source %s): %s', PLUGIN, self.source, scrub(warning, self.secrets))
            events = self.tracker.update(items, complete)
            logger.debug('%s (source %s): %d item(s), complete=%s, %d event(s)', PLUGIN, self.source,
                         len(items), complete, len(events))
            for event in events:
                await queue.put(event)
            await self.sleep(max(0.0, self.interval - (self.monotonic() - started)))


def _poller(endpoint, options, secrets):
    """One listing per call through the modules' path. A new Plan each time: relative times ("-1h", "now")
    move with the clock, and credentials from the environment or files are read afresh."""

    def poll():
        plan = _listing.Plan(endpoint, options)
        secrets.update(plan.secrets)
        _result, listing = plan.run()
        return listing.items, listing.complete, list(listing.warnings)

    return poll


def build(args, sleep=None, run=None):
    """A Watcher for the rulebook's arguments; everything is checked here, before any request."""
    if not HAS_REQUESTS:
        raise SourceError('%s needs the Python library requests: %s' % (PLUGIN, REQUESTS_IMPORT_ERROR))
    endpoint, options = validate(args)
    secrets = _secrets_of(endpoint, event_spec(endpoint), options)
    try:
        # The credentials in use, wherever they come from (options, environment, files).
        secrets.update(_listing.Plan(endpoint, options).secrets)
    except OptionError as exc:
        raise SourceError('%s (source %s): %s' % (PLUGIN, endpoint.name, scrub(exc, secrets)))
    state_key = endpoint.lifecycle
    id_keys = tuple(snake(key) for key in (endpoint.item_id,) + endpoint.alternate_ids)
    tracker = ChangeTracker(endpoint.name, id_keys if len(id_keys) > 1 else id_keys[0], state_key,
                            options['emit_initial'],
                            EventFilter(options.get('changes'), options.get('states'), options.get('transitions')))
    return Watcher(endpoint.name, _poller(endpoint, options, secrets), tracker, options['interval'],
                   options['max_failures'], secrets=secrets, sleep=sleep, run=run)


async def main(queue, args):
    """The ansible-rulebook entry point."""
    watcher = build(args)
    logger.info('%s: watching %s every %s s', PLUGIN, watcher.source, watcher.interval)
    await watcher.run(queue)


if __name__ == '__main__':
    # A quick look from the command line: python job_state_changes.py SOURCE KEY=VALUE... (events printed).
    import json

    class _Printer(object):
        async def put(self, event):
            print(json.dumps(event, sort_keys=True), flush=True)

    if len(sys.argv) < 2 or not all('=' in arg for arg in sys.argv[2:]):
        sys.exit('usage: %s SOURCE [ARGUMENT=VALUE ...]' % os.path.basename(sys.argv[0]))
    logging.basicConfig(level=logging.INFO)
    _args = dict(arg.split('=', 1) for arg in sys.argv[2:])
    _args['source'] = sys.argv[1]
    try:
        asyncio.run(main(_Printer(), _args))
    except KeyboardInterrupt:
        pass
    except SourceError as _exc:
        sys.exit(str(_exc))
