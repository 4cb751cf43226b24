# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # How a listing is read and returned, shared by every info module and inventory plugin.
    DOCUMENTATION = r'''
options:
  page_size:
    description:
      - Items requested per page, from 1 to the largest page asked for, which is also the default.
      - Documented maxima - 100 for EMR C(ListRayCluster) and 20 for MaxCompute C(GetRunningJobs), as their API
        references state.
      - Assumed maxima - 100 for EMR C(ListRayJob), PAI-DLC C(ListJobs) and Octopus C(QueryQueuedJobList), whose
        references state no maximum.
      - A server that silently serves fewer items per page than asked is detected - by the total it reports, or,
        for C(ListRayCluster) which reports none, by one look past a short first page - and the listing then reads
        on with the server's page size; items are never silently lost (at worst C(complete=false) with a warning).
      - Every page is read whatever the page size; this only trades requests for response size.
      - Refused where the API has no pages and returns every item in one response (Ray's C(GET /api/jobs/)).
    type: int
  max_items:
    description:
      - Stop after this many items. By default every item is returned.
    type: int
  concurrency:
    description:
      - How many pages are requested at once after the first one (1 to 64).
      - The bound is lowered automatically while the cloud throttles (additive increase, multiplicative decrease).
    type: int
    default: 16
  deadline:
    description:
      - Wall-clock bound of one whole listing, in seconds, covering every page, retry and backoff wait.
      - Reaching it fails the task with a message that names the deadline, the pages read and the last error.
      - Throttling (the vendors' throttling codes, HTTP 429) is retried until the deadline and does not count
        against O(max_retries); a server that asks to wait past the deadline fails at once.
      - With O(wait), every poll is a listing of its own with this deadline, and O(wait.timeout) bounds the
        whole wait.
    type: float
    default: 300
  max_body_size:
    description:
      - The largest response body accepted, in bytes, both as received and after C(gzip) or C(deflate) decoding
        (other content encodings are refused). A larger body fails with "response too large" before more of it
        is read.
      - Each page is also refused as malformed when it nests more than 64 levels deep or holds more than a
        million JSON values.
    type: int
    default: 67108864
  redact:
    description:
      - Replace the credentials inside items with C(********), by class rather than by a list of fields - the
        value of any key that looks like a credential (it contains C(TOKEN), C(SECRET), C(PASSWORD), C(PASSWD),
        C(PWD), C(API_KEY), C(ACCESS_KEY), C(PRIVATE_KEY), C(CREDENTIAL), C(AUTH), ...), in API fields and in
        user-defined maps such as DLC C(envs) and C(settings); the value of name/value entries (container
        C(env) lists) whose name does; and in every string, the user-info of URLs, credential-like query
        parameters (C(token), C(signature), C(sig), ...), and C(KEY=VALUE) pairs and C(--key value) options of
        command lines such as DLC C(user_command). The fixed fields of the APIs (the token in a Ray
        C(dashboard_url), DLC registry C(password) and C(auth), DLC credential role keys) are always covered.
      - The complete rules are in the collection's C(docs/redaction.md).
      - Set to V(false) to get every item exactly as the API gave it, only where the result is itself treated as
        a secret. Error messages and warnings are scrubbed of the credentials in use either way.
    type: bool
    default: true
  fields:
    description:
      - Return only these keys of each item, a projection that keeps a report or a gate to what it reads
        (a 10,000-job DLC listing is about 2.8 MB in full).
      - Names are the returned snake_case keys, for example V(job_id) or V(status); a dotted path such as
        V(settings.caller) keeps one key of a nested map (through lists). A key an item lacks is left out.
      - The O(wait) expressions see the projected items. Redaction applies as without O(fields).
      - By default items are returned whole.
    type: list
    elements: str
    version_added: 1.0.0
'''
