"""The peer: the official MaxCompute SDK paging GetRunningJobs, as a user's script would: sequentially, or
with --threads N, the first page and then the rest in a pool of N threads (one client per thread).

    python benchmarks/sdk_peer.py --endpoint 127.0.0.1:PORT --from EPOCH --to EPOCH --ids OUT.json [--threads 16]

Prints one JSON line: pages, items, the loop's wall time. The item IDs go to --ids.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time

from concurrent.futures import ThreadPoolExecutor

MAX_PAGES = 100000  # a bound on the loop, far above any benchmark's listing


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--endpoint', required=True, help='host:port of the emulator')
    parser.add_argument('--from', dest='from_', type=int, required=True)
    parser.add_argument('--to', type=int, required=True)
    parser.add_argument('--page-size', type=int, default=20)
    parser.add_argument('--ids', required=True)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args(argv)

    from alibabacloud_maxcompute20220104 import models
    from alibabacloud_maxcompute20220104.client import Client
    from alibabacloud_tea_openapi.models import Config

    def new_client():
        return Client(Config(access_key_id='emuAccessKeyId', access_key_secret='emuAccessKeySecret',
                             endpoint=args.endpoint, protocol='http'))

    client = new_client()
    started = time.perf_counter()
    if args.threads > 1:
        return threaded(args, models, client, new_client, started)
    ids, page, total = [], 1, None
    while page <= MAX_PAGES:
        body = client.get_running_jobs(models.GetRunningJobsRequest(
            from_=args.from_, to=args.to, page_number=page, page_size=args.page_size)).body
        jobs = body.data.running_job_info_list or []
        ids.extend(job.instance_id for job in jobs)
        total = body.data.total_count
        if not jobs or page * args.page_size >= total:
            break
        page += 1
    wall = time.perf_counter() - started
    with open(args.ids, 'w') as handle:
        json.dump(ids, handle)
    json.dump({'pages': page, 'items': len(ids), 'total': total, 'loop_wall': wall}, sys.stdout)
    sys.stdout.write('\n')
    return 0


def threaded(args, models, client, new_client, started):
    local = threading.local()

    def page(number):
        if not hasattr(local, 'client'):
            local.client = new_client()
        return local.client.get_running_jobs(models.GetRunningJobsRequest(
            from_=args.from_, to=args.to, page_number=number, page_size=args.page_size)).body.data

    first = client.get_running_jobs(models.GetRunningJobsRequest(
        from_=args.from_, to=args.to, page_number=1, page_size=args.page_size)).body.data
    total = first.total_count
    pages = max(1, min(MAX_PAGES, -(-total // args.page_size)))
    ids = [job.instance_id for job in first.running_job_info_list or []]
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        for data in pool.map(page, range(2, pages + 1)):
            ids.extend(job.instance_id for job in data.running_job_info_list or [])
    wall = time.perf_counter() - started
    with open(args.ids, 'w') as handle:
        json.dump(ids, handle)
    json.dump({'pages': pages, 'items': len(ids), 'total': total, 'loop_wall': wall, 'threads': args.threads},
              sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
