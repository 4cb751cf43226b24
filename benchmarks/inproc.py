"""One listing in this process through module_utils.listing.Plan - what a module run does, minus Ansible.

    python benchmarks/inproc.py --endpoint-name maxcompute_running_job --url http://127.0.0.1:PORT \
        --options '{"from_time": "-2h", "to_time": "now"}' [--fixed] [--profile OUT.prof]

--fixed replaces paging.Limiter, for this process only, with a subclass whose limit never moves (the
bound stays at `concurrency` whatever the throttling): the "fixed concurrency" side of the throttled
comparison. The collection's code and interface are unchanged.

Prints one JSON line: items, unique IDs, pages, wall time, the limiter's lowest limit and the throttled
responses it saw, or the error that failed the listing.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import os
import sys
import time

from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import collections_path  # noqa: E402

sys.path.insert(0, collections_path())

from ansible_collections.jobscope.cloud.plugins.module_utils import paging  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.listing import Plan  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import snake  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError  # noqa: E402


class FixedLimiter(paging.Limiter):
    """Counts throttled responses like the real one but never lowers (or raises) the bound."""

    def release(self, throttled=False):
        with self._cond:
            self.in_flight -= 1
            if throttled:
                self.throttled += 1
            self._cond.notify_all()


def profiled_pool(profilers):
    """A ThreadPoolExecutor whose worker threads each run under their own cProfile.Profile.

    cProfile sees only the thread that enabled it; the pages are fetched, decoded and signed in the
    pool's threads, so each of them gets a profiler, merged with the main thread's at the end.
    """

    def start():
        profiler = cProfile.Profile()
        profilers.append(profiler)
        profiler.enable()

    class Pool(ThreadPoolExecutor):
        def __init__(self, *args, **kwargs):
            kwargs['initializer'] = start
            super(Pool, self).__init__(*args, **kwargs)

    return Pool


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--endpoint-name', required=True, help='a key of module_utils.endpoints.ENDPOINTS')
    parser.add_argument('--url', required=True)
    parser.add_argument('--options', default='{}', help='module options as JSON')
    parser.add_argument('--fixed', action='store_true', help='fixed concurrency: no AIMD')
    parser.add_argument('--profile', help='write a cProfile of the listing to this file')
    parser.add_argument('--ids', help='write the item IDs to this file')
    args = parser.parse_args(argv)

    if args.fixed:
        paging.Limiter = FixedLimiter
    endpoint = ENDPOINTS[args.endpoint_name]
    options = dict(json.loads(args.options), endpoint=args.url)
    plan = Plan(endpoint, options)
    report = {'fixed': args.fixed, 'concurrency': plan.concurrency}
    profiler = None
    if args.profile:
        profiler, workers = cProfile.Profile(), []
        paging.ThreadPoolExecutor = profiled_pool(workers)
    started = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        result, listing = plan.run()
        if profiler:
            profiler.disable()
    except CloudError as exc:
        report.update(error=str(exc), wall=time.perf_counter() - started)
    else:
        report['wall'] = time.perf_counter() - started
        items = result[endpoint.result_key]
        id_key = snake(endpoint.item_id)
        ids = [str(item.get(id_key)) for item in items]
        report.update(items=len(items), unique=len(set(ids)), pages=listing.pages, total=result.get('total'),
                      complete=result['complete'], lowest=listing.limiter.lowest,
                      throttled=listing.limiter.throttled, final_limit=listing.limiter.limit)
        if args.ids:
            with open(args.ids, 'w') as handle:
                json.dump(ids, handle)
    if profiler:
        stats = pstats.Stats(profiler)
        for worker in workers:
            worker.create_stats()
            stats.add(worker)
        stats.dump_stats(args.profile)
    json.dump(report, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
