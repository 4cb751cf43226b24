# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Items as users see them: snake_case keys (user-defined maps keep theirs) and credentials redacted.

One walk over each item does both, so the per-item cost stays linear and small.
"""

from __future__ import annotations

import re


REDACTED = '********'

_BOUNDARY_1 = re.compile(r'([A-Z]+)([A-Z][a-z])')
_BOUNDARY_2 = re.compile(r'([a-z0-9])([A-Z])')
_SNAKE_CACHE = {}


def snake(name):
    """cuHours -> cu_hours, GPUType -> gpu_type, EnableRDMA -> enable_rdma; already snake stays snake."""
    try:
        return _SNAKE_CACHE[name]
    except KeyError:
        converted = _BOUNDARY_2.sub(r'\1_\2', _BOUNDARY_1.sub(r'\1_\2', name)).lower()
        _SNAKE_CACHE[name] = converted
        return converted


def _redact_value(value):
    return REDACTED if value not in (None, '') else value


def _redact_url_token(value):
    """Keep the URL useful (host, path) while the token in its query is replaced."""
    if not isinstance(value, str):
        return value
    return _TOKEN.sub(lambda match: match.group(1) + REDACTED, value)


_TOKEN = re.compile(r'([?&]token=)[^&#]*')

REDACTORS = {'value': _redact_value, 'url_token': _redact_url_token}


def _rule_tree(secrets):
    """{'A.B.C': kind} -> {'A': {'B': {'C': redactor}}}; lists are walked through transparently."""
    tree = {}
    for path, kind in secrets.items():
        node = tree
        keys = path.split('.')
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = REDACTORS[kind]
    return tree


class Shaper(object):
    def __init__(self, secrets=None, keep=(), redact=True):
        self.rules = _rule_tree(secrets or {}) if redact else {}
        self.keep = frozenset(keep)

    def __call__(self, item):
        return self._walk(item, self.rules)

    def _walk(self, value, rules):
        if isinstance(value, dict):
            shaped = {}
            for key, child in value.items():
                rule = rules.get(key) if rules else None
                if callable(rule):
                    child = rule(child)
                elif key in self.keep:
                    shaped[snake(key)] = child
                    continue
                if isinstance(child, (dict, list)):
                    child = self._walk(child, rule if isinstance(rule, dict) else None)
                shaped[snake(key)] = child
            return shaped
        if isinstance(value, list):
            return [self._walk(child, rules) if isinstance(child, (dict, list)) else child for child in value]
        return value


def dig(body, path):
    """The value at a dotted path of a decoded body, or None."""
    for key in path.split('.'):
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


class Projection(object):
    """The ``fields`` option: keep only the named keys of each item (returned, snake_case names; a dotted
    path such as ``settings.caller`` keeps one key of a nested map, through lists). Keys an item lacks are
    left out rather than invented."""

    def __init__(self, fields):
        self.tree = {}
        for path in fields:
            node = self.tree
            keys = path.split('.')
            for index, key in enumerate(keys):
                if node is True:
                    break  # a shorter path already keeps the whole subtree
                if index == len(keys) - 1:
                    node[key] = True
                else:
                    node = node.setdefault(key, {})

    def pre(self, item):
        """Drop the top-level keys of a raw item that no field names, before the (costlier) shaping walk."""
        if not isinstance(item, dict):
            return item
        return dict((key, value) for key, value in item.items() if snake(key) in self.tree)

    def __call__(self, item):
        return _pick(item, self.tree)


def _pick(value, tree):
    if tree is True:
        return value
    if isinstance(value, list):
        return [_pick(child, tree) for child in value]
    if not isinstance(value, dict):
        return value
    return dict((key, _pick(value[key], sub)) for key, sub in tree.items() if key in value)
