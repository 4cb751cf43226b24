# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Options as data: how each API parameter is typed for Ansible and encoded on the wire.

An endpoint declares its filters as ``Param`` objects; from them come the module's argument_spec,
the validation that runs before any request, and the query or path values that are signed and sent.
"""

from __future__ import annotations

import configparser
import datetime
import json
import math
import re

from urllib.parse import quote, urlsplit

UTC = datetime.timezone.utc


class OptionError(Exception):
    """A bad option, found before any request; the message names the option."""

    def __init__(self, option, message):
        super(OptionError, self).__init__(message)
        self.option = option
        self.message = message

    def __str__(self):
        return self.message


def base_url(value, option='endpoint'):
    """Validate a full endpoint URL (https://host[:port][/prefix]) and return it without a trailing slash."""
    try:
        parts = urlsplit(str(value).strip())
        port = parts.port
    except ValueError as exc:
        raise OptionError(option, '%s is not a valid URL (%s): %r' % (option, exc, value))
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise OptionError(
            option, '%s must be a full URL such as https://host or http://127.0.0.1:PORT, got %r' % (option, value)
        )
    if parts.username or parts.password:
        raise OptionError(option, '%s must not carry credentials (user:password@)' % option)
    if parts.query or parts.fragment:
        raise OptionError(option, '%s must not carry a query or a fragment: %r' % (option, value))
    del port
    return '%s://%s%s' % (parts.scheme, parts.netloc, parts.path.rstrip('/'))


def read_ini(path, option):
    """An INI credentials file as a ConfigParser, or None when it does not exist.

    Interpolation is off (a secret may hold "%") and a parse error names the line, never quotes it:
    configparser's own message would print the line, which may hold a secret.
    """
    parser = configparser.ConfigParser(interpolation=None)
    try:
        if not parser.read(path, encoding='utf-8'):
            return None
    except configparser.MissingSectionHeaderError as exc:
        raise OptionError(option, 'cannot parse %s: line %d comes before any [section] header' % (path, exc.lineno))
    except configparser.ParsingError as exc:
        raise OptionError(
            option,
            'cannot parse %s: cannot read line(s) %s' % (path, ', '.join(str(lineno) for lineno, _line in exc.errors)),
        )
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise OptionError(option, 'cannot parse %s: %s' % (path, type(exc).__name__))
    return parser


_NUMBER = re.compile(r'^-?\d+(\.\d+)?$')
_RELATIVE = re.compile(r'^-(\d+)([smhdw])$')
_UNITS = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}


def parse_time(value, option, number_unit='s', now=None):
    """A point in time from epoch numbers (in ``number_unit``), ISO 8601, ``now`` or ``-2h``-style offsets."""
    if isinstance(value, bool) or value is None:
        raise OptionError(option, '%s must be a time, got %r' % (option, value))
    text = str(value).strip()
    if _NUMBER.match(text):
        seconds = float(text) / (1000.0 if number_unit == 'ms' else 1.0)
        try:
            return datetime.datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise OptionError(option, '%s is out of range: %r' % (option, value))
    now = now or datetime.datetime.now(UTC)
    if text == 'now':
        return now
    match = _RELATIVE.match(text)
    if match:
        try:
            return now - datetime.timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
        except OverflowError:  # more days than the calendar holds
            raise OptionError(option, '%s is out of range: %r' % (option, value))
    iso = text[:-1] + '+00:00' if text.endswith(('Z', 'z')) else text
    try:
        moment = datetime.datetime.fromisoformat(iso)
    except ValueError:
        unit = 'milliseconds' if number_unit == 'ms' else 'seconds'
        raise OptionError(
            option,
            '%s must be epoch %s, ISO 8601 (2026-01-31T08:00:00Z), "now" or an offset '
            'such as "-2h"; got %r' % (option, unit, value),
        )
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:  # a time zone that moves the moment past year 9999 or before year 1
        raise OptionError(option, '%s is out of range: %r' % (option, value))


def _epoch(moment):
    return (moment - datetime.datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()


# How a time goes out on the wire, by the unit the API expects.
TIME_FORMATS = {
    'ms': lambda moment: int(round(_epoch(moment) * 1000)),
    's': lambda moment: int(_epoch(moment)),
    # Not strftime('%Y'): it drops the leading zeros of a year before 1000 ('999-12-31T...').
    'iso': lambda moment: (
        '%04d-%02d-%02dT%02d:%02d:%02dZ'
        % (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    ),
}


def compact_json(value, sort_keys=True):
    """JSON as the Alibaba SDKs write it: no spaces, non-ASCII as is; a user's map keeps its key order."""
    return json.dumps(value, separators=(',', ':'), sort_keys=sort_keys, ensure_ascii=False)


class Param(object):
    """One API parameter offered as a module option.

    kind: str, int, bool, list (comma-joined), map (a dict sent as compact JSON), time (``unit`` ms/s/iso,
    numbers read in ms for ms and in seconds otherwise) or object (``fields`` sent as one compact JSON object).

    match: for a filter the server does not offer, how the controller matches an item's ``wire`` field
    (a dotted path) against the option instead of sending it: ``equals``, ``contains`` (a substring of a
    string field) or ``entries`` (a map option: the item's map holds every one of its key/value pairs,
    values compared as text). Such a parameter is never sent.
    """

    MATCHES = ('equals', 'contains', 'entries')

    ANSIBLE_TYPES = {
        'str': 'str',
        'int': 'int',
        'bool': 'bool',
        'list': 'list',
        'map': 'dict',
        'time': 'raw',
        'object': 'dict',
    }

    def __init__(
        self,
        option,
        wire,
        kind='str',
        required=False,
        choices=None,
        unit=None,
        fields=(),
        in_path=False,
        minimum=None,
        match=None,
    ):
        if match is not None and (match not in self.MATCHES or in_path or (match == 'entries') != (kind == 'map')):
            raise ValueError('%s: match %r does not fit a %s parameter' % (option, match, kind))
        self.match = match
        self.option = option
        self.wire = wire
        self.kind = kind
        self.required = required
        self.choices = choices
        self.unit = unit
        self.fields = fields
        self.in_path = in_path
        self.minimum = minimum

    def spec(self):
        spec = dict(type=self.ANSIBLE_TYPES[self.kind], required=self.required)
        if self.choices:
            spec['choices'] = list(self.choices)
        if self.kind == 'list':
            spec['elements'] = 'str'
        if self.fields:
            spec['options'] = dict((field.option, field.spec()) for field in self.fields)
        return spec

    def value(self, raw, option=None):
        """The checked Python value that goes into the request (before string encoding)."""
        option = option or self.option
        if self.kind == 'time':
            return TIME_FORMATS[self.unit](parse_time(raw, option, 'ms' if self.unit == 'ms' else 's'))
        if self.kind == 'object':
            values = {}
            for field in self.fields:
                if raw.get(field.option) is not None:
                    values[field.wire] = field.value(raw[field.option], '%s.%s' % (option, field.option))
            return values or None
        if self.kind == 'list':
            items = [str(item) for item in raw]
            if any(not item or ',' in item for item in items):
                raise OptionError(option, '%s items must be non-empty and contain no comma' % option)
            return items or None
        if self.kind == 'map' and self.match:
            if not isinstance(raw, dict) or any(
                not isinstance(key, str) or not key or isinstance(value, (dict, list)) or value is None
                for key, value in raw.items()
            ):
                raise OptionError(option, '%s must be a dictionary of names to text values' % option)
            return dict((key, _text(value)) for key, value in raw.items()) or None
        if self.kind == 'str' and not str(raw).strip():
            raise OptionError(option, '%s must not be empty' % option)
        if self.choices and raw not in self.choices:
            raise OptionError(option, '%s must be one of %s, got %r' % (option, ', '.join(self.choices), raw))
        if self.kind == 'int' and self.minimum is not None and raw < self.minimum:
            raise OptionError(option, '%s must be at least %d, got %d' % (option, self.minimum, raw))
        return raw

    def encode(self, value):
        """The string sent (and signed) for a value from ``value()``."""
        if self.kind == 'bool':
            # As the vendors' SDKs send it (str() of a Python bool); the services read it case-insensitively.
            return 'True' if value else 'False'
        if self.kind == 'list':
            return ','.join(value)
        if self.kind == 'map':
            return compact_json(value, sort_keys=False)
        if self.kind == 'object':
            # The SDKs' to_map() writes a request object's keys in alphabetical order.
            return compact_json(value)
        if self.in_path:
            return path_segment(value, self.option)
        return str(value)


def build_request(endpoint, params):
    """Validate the endpoint's options and return (path values, query) before any request.

    Raises OptionError naming the option on anything the API would refuse or misread.
    """
    values = {}
    for param in endpoint.params:
        raw = params.get(param.option)
        if raw is None or (param.kind in ('list', 'map', 'object') and not raw):
            if param.required:
                raise OptionError(param.option, '%s is required' % param.option)
            continue
        value = param.value(raw)
        if value is not None:
            values[param.option] = value
    for earlier, later in endpoint.ordered:
        _check_order(values, earlier, later)
    for earlier, later in endpoint.strictly_ordered:
        _check_order(values, earlier, later)
        if earlier in values and later in values and values[earlier] == values[later]:
            raise OptionError(
                earlier,
                '%s must be before %s: an empty window (%s equal to %s) lists nothing'
                % (earlier, later, earlier, later),
            )
    for option, other in endpoint.together:
        if option in values and other not in values:
            raise OptionError(option, '%s needs %s' % (option, other))
    for param in endpoint.params:
        if param.kind == 'object' and param.option in values:
            first, second = (field.wire for field in param.fields[:2])
            pair = values[param.option]
            if first in pair and second in pair and pair[first] > pair[second]:
                raise OptionError(
                    param.option,
                    '%s.%s must not be after %s.%s'
                    % (param.option, param.fields[0].option, param.option, param.fields[1].option),
                )
    by_option = dict((param.option, param) for param in endpoint.params)
    path_values = dict(
        (by_option[name].wire, by_option[name].encode(value))
        for name, value in values.items()
        if by_option[name].in_path
    )
    query = dict(
        (by_option[name].wire, by_option[name].encode(value))
        for name, value in values.items()
        if not by_option[name].in_path and not by_option[name].match
    )
    return path_values, query


def _text(value):
    """A scalar as the text it is compared as: JSON's spelling for booleans, str() for the rest."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value if isinstance(value, str) else str(value)


def _field(item, path):
    for key in path.split('.'):
        if not isinstance(item, dict):
            return None
        item = item.get(key)
    return item


def _matches(param, expected, item):
    actual = _field(item, param.wire)
    if param.match == 'entries':
        return isinstance(actual, dict) and all(
            key in actual
            and actual[key] is not None
            and not isinstance(actual[key], (dict, list))
            and _text(actual[key]) == value
            for key, value in expected.items()
        )
    if actual is None or isinstance(actual, (dict, list)):
        return False
    if param.match == 'contains':
        return isinstance(actual, str) and expected in actual
    return (
        actual == expected
        if not isinstance(actual, bool) and not isinstance(expected, str)
        else _text(actual) == _text(expected)
    )


def local_filter(endpoint, params):
    """``keep(raw_item)`` for the filters of ``endpoint`` that the controller applies (Param.match), or None
    when none is set. Options are validated as build_request validates them; call it after build_request."""
    wanted = []
    for param in endpoint.params:
        raw = params.get(param.option)
        if not param.match or raw is None or (param.kind in ('list', 'map') and not raw):
            continue
        value = param.value(raw)
        if value is not None:
            wanted.append((param, value))
    if not wanted:
        return None
    return lambda item: all(_matches(param, value, item) for param, value in wanted)


def _check_order(values, earlier, later):
    if earlier in values and later in values and values[earlier] > values[later]:
        raise OptionError(earlier, '%s must not be after %s' % (earlier, later))


def path_segment(value, option):
    """A value as one URL path segment; "", "." and ".." would change the path itself, so they are refused."""
    text = str(value)
    if text.strip() in ('', '.', '..'):
        raise OptionError(option, '%s must not be empty, "." or "..", got %r' % (option, text))
    return quote(text, safe='~')


def check_finite(params, option, low=None, high=None, label=None):
    """A number option: refuses NaN and infinity (and values outside [low, high] when given)."""
    value = params.get(option)
    label = label or option
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise OptionError(label, '%s must be a finite number, got %r' % (label, value))
    if (low is not None and value < low) or (high is not None and value > high):
        raise OptionError(label, '%s must be between %g and %g, got %r' % (label, low, high, value))


def check_range(params, option, low, high, hint=''):
    value = params.get(option)
    if value is not None and not low <= value <= high:
        raise OptionError(option, '%s must be between %d and %d%s, got %r' % (option, low, high, hint, value))
