# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark-only callback: write what each task returned (item IDs, counts, timing) to $BENCH_CAPTURE.

The stdout callback stays the default one (which prints no results), so the measured run does what a
user's run does; this adds one small JSON file written once, at the end of the play.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: bench_capture
type: aggregate
short_description: write task results for benchmarks/run.py
description: Writes the IDs of the listed items and the task timing to the file named by BENCH_CAPTURE.
'''

# The key of the item list and of an item's ID, per module result (snake_case, as the modules return them).
ID_KEYS = ('instance_id', 'cluster_id', 'submission_id', 'job_id', 'id')


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_capture'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.tasks = []
        self.started = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started = time.time()

    def _record(self, result, failed):
        data = result._result
        items = None
        for key in ('jobs', 'clusters'):
            if isinstance(data.get(key), list):
                items = data[key]
                break
        ids = []
        if items:
            first = items[0] if isinstance(items[0], dict) else {}
            id_key = next((key for key in ID_KEYS if key in first), None)
            ids = [str(item.get(id_key)) for item in items] if id_key else []
        self.tasks.append({
            'task': str(result._task.get_name()),
            'failed': failed,
            'msg': str(data.get('msg', '')) if failed else '',
            'duration': time.time() - (self.started or time.time()),
            'count': None if items is None else len(items),
            'total': data.get('total'),
            'complete': data.get('complete'),
            'ids': ids,
            # What the task moved back to the controller: the result as JSON, in bytes.
            'bytes': len(json.dumps(data, default=str)),
            'attempts': data.get('attempts'),
        })

    def v2_runner_on_ok(self, result):
        self._record(result, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, True)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('BENCH_CAPTURE')
        if path:
            with open(path, 'w') as handle:
                json.dump({'tasks': self.tasks}, handle)
