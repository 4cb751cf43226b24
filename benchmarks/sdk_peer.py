"""The peer: the official MaxCompute SDK paging GetRunningJobs sequentially, as a user's script would.

    python benchmarks/sdk_peer.py --endpoint 127.0.0.1:PORT --from EPOCH --to EPOCH --ids OUT.json

Prints one JSON line: pages, items, the loop's wall time. The item IDs go to --ids.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

MAX_PAGES = 100000  # a bound on the loop, far above any benchmark's listing


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--endpoint', required=True, help='host:port of the emulator')
    parser.add_argument('--from', dest='from_', type=int, required=True)
    parser.add_argument('--to', type=int, required=True)
    parser.add_argument('--page-size', type=int, default=20)
    parser.add_argument('--ids', required=True)
    args = parser.parse_args(argv)

    from alibabacloud_maxcompute20220104 import models
    from alibabacloud_maxcompute20220104.client import Client
    from alibabacloud_tea_openapi.models import Config

    client = Client(Config(access_key_id='emuAccessKeyId', access_key_secret='emuAccessKeySecret',
                           endpoint=args.endpoint, protocol='http'))
    started = time.perf_counter()
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


if __name__ == '__main__':
    sys.exit(main())
