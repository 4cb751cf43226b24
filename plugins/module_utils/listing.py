# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""From validated options to a complete, shaped listing of one endpoint. Modules and inventory plugins
both come through here, so they sign, page, shape and fail the same way."""

from __future__ import annotations

from collections import Counter

from ansible_collections.jobscope.cloud.plugins.module_utils.options import (
    build_request,
    check_finite,
    check_range,
    local_filter,
    path_segment,
    OptionError,
)
from ansible_collections.jobscope.cloud.plugins.module_utils.paging import list_all
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import Projection, Scrubber, Shaper
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import (
    CloudError,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY_SIZE,
    Deadline,
    Transport,
)

MAX_CONCURRENCY = 64
# Pages in flight by default; the Limiter halves it while the cloud throttles.
DEFAULT_CONCURRENCY = 16


class Plan(object):
    """Everything a listing needs, checked before any request is made."""

    def __init__(self, endpoint, options, env=None):
        self.endpoint = endpoint
        paging = endpoint.paging
        self.page_size = options.get('page_size') or paging.maximum
        if paging.paged:
            check_range(options, 'page_size', 1, paging.maximum, ' for %s' % endpoint.action)
        elif options.get('page_size') is not None:
            raise OptionError(
                'page_size',
                'page_size cannot be set for %s: the API returns every item in one response' % endpoint.action,
            )
        check_range(options, 'max_items', 1, 2**31)
        check_range(options, 'concurrency', 1, MAX_CONCURRENCY)
        check_range(options, 'timeout', 1, 3600)
        check_range(options, 'max_retries', 0, 20)
        check_finite(options, 'deadline', 1, 86400)
        check_range(options, 'max_body_size', 1024, 2**40)
        self.deadline = options.get('deadline') or DEFAULT_DEADLINE
        self.max_body_size = options.get('max_body_size') or DEFAULT_MAX_BODY_SIZE
        self.max_items = options.get('max_items')
        self.concurrency = options.get('concurrency') or DEFAULT_CONCURRENCY
        for option, value, required in endpoint.required_if:
            if options.get(option) == value:
                for name in required:
                    if options.get(name) in (None, ''):
                        raise OptionError(name, '%s is required when %s is %s' % (name, option, value))
        path_values, self.query = build_request(endpoint, options)
        self.keep = local_filter(endpoint, options)
        cloud = endpoint.cloud
        credentials = cloud.resolve_credentials(options, env=env)
        for name, value in cloud.path_values(credentials).items():
            path_segment(value, name)  # already encoded; refused when ".", ".." or "" would change the path
            path_values[name] = value
        self.path = endpoint.path.format(**path_values)
        base = cloud.resolve_endpoint(endpoint.service, options, env=env, credentials=credentials)
        self.dialect = cloud.dialect(base, endpoint.action, endpoint.version, credentials)
        # Never shown: every error of this plan's listings is scrubbed of them.
        self.secrets = cloud.secret_values(options, credentials)
        # ... nor any message about this listing (modules, inventory), with the text rules of shaping.
        self.scrub = Scrubber(self.secrets)
        self.timeout = options.get('timeout') or 30
        self.validate_certs = options.get('validate_certs', True) is not False
        self.max_retries = 5 if options.get('max_retries') is None else options['max_retries']
        self.shape = Shaper(endpoint.secrets, endpoint.keep, redact=options.get('redact', True) is not False)
        fields = options.get('fields')
        if fields is not None:
            if not fields or any(not isinstance(field, str) or not all(field.split('.')) for field in fields):
                raise OptionError(
                    'fields',
                    'fields must be a non-empty list of returned key names (a dotted path '
                    'for a nested key, such as settings.caller), got %r' % (fields,),
                )
            projection, shaper = Projection(fields), self.shape
            self.shape = lambda item: projection(shaper(projection.pre(item)))

    def transport(self):
        """A Transport for this plan's listings; reuse it across polls so one session serves a whole wait."""
        return Transport(
            self.dialect,
            timeout=self.timeout,
            validate_certs=self.validate_certs,
            max_retries=self.max_retries,
            pool_size=self.concurrency,
            max_body_size=self.max_body_size,
        )

    def run(self, transport=None, first_page=False, deadline=None):
        """One complete listing, as the documented result: the items, total when known, complete.

        ``transport``: a Transport from ``transport()`` to reuse (the caller closes it); ``first_page``: read
        one page only, for a caller that reads nothing but ``total`` (see paging.list_all). ``deadline``: a
        transport.Deadline bounding the listing, by default a new one of the plan's ``deadline`` seconds.
        """
        deadline = deadline or Deadline(self.deadline)
        own = transport is None
        if own:
            transport = self.transport()
        endpoint = self.endpoint
        # The server's total counts what the server matched, not what the controller's filters keep: with
        # such filters the whole listing is read and no total is returned.
        first_page = first_page and self.keep is None
        page_size = 1 if first_page else self.page_size

        def fetch(page_params, limiter, check):
            params = dict(self.query)
            params.update(page_params)
            return transport.get(endpoint.action, self.path, params, limiter=limiter, check=check, deadline=deadline)

        try:
            listing = list_all(
                endpoint,
                fetch,
                self.shape,
                page_size,
                self.max_items,
                self.concurrency,
                recheck=True,
                deadline=deadline,
                first_page=first_page,
                keep=self.keep,
            )
        except CloudError as exc:
            # A library's message may quote the URL, and a URL may carry a token.
            exc.message = self.scrub(exc.message)
            raise
        finally:
            if own:
                transport.close()
        result = {endpoint.result_key: listing.items, 'complete': listing.complete}
        if listing.total is not None and self.keep is None:
            result['total'] = listing.total
        return result, listing


def summarize(endpoint, result):
    """A short account of a result, for messages: the count and the count by state."""
    items = result.get(endpoint.result_key) or []
    if not endpoint.state:
        return '%d item(s)' % len(items)
    counts = Counter(str(item.get(endpoint.state)) for item in items)
    by_state = ', '.join('%s=%d' % pair for pair in sorted(counts.items()))
    return '%d item(s)%s' % (len(items), ' (%s: %s)' % (endpoint.state, by_state) if by_state else '')
