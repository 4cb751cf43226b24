# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Items as users see them: snake_case keys (user-defined maps keep theirs) and credentials redacted.

One walk over each item does both, so the per-item cost stays linear and small.

Redaction is by class, not only by path, because users put tokens wherever a job lets them (environment
variables, command lines, settings, URLs) and an API can add a secret field at any time. The rules, the
same for every endpoint and documented once in docs/redaction.md:

1. the fixed paths an endpoint declares (``Endpoint.secrets``);
2. the value of any key that looks like a credential (``credential_key``), in API fields and in user-defined
   maps alike, and the value of a name/value entry (``{"Name": "HF_TOKEN", "Value": ...}``) whose name does;
3. in every string: the user-info of a URL, and the values of credential-looking ``key=value`` pairs
   (query parameters, ``HF_TOKEN=...`` in a command line), ``--key value`` / ``--key=value`` options,
   ``"key": "value"`` pairs of JSON or Python text, and ``Bearer`` / ``Basic`` credentials.

The same text rules, plus the credential values in use, scrub every message (``Scrubber``).
"""

from __future__ import annotations

import json
import re

from urllib.parse import quote, quote_plus


REDACTED = '********'

# A key looks like a credential when, upper-cased and with everything but letters and digits removed, it
# contains one of these (HF_TOKEN, hfToken, X-Amz-Security-Token, db.password, OSSAccessKeyId, ...).
CREDENTIAL_KEY_MARKERS = (
    'TOKEN',
    'SECRET',
    'PASSWORD',
    'PASSWD',
    'PASSPHRASE',
    'PWD',
    'APIKEY',
    'ACCESSKEY',
    'PRIVATEKEY',
    'CREDENTIAL',
    'AUTH',
    'SIGNATURE',
    'COOKIE',
    'SESSIONKEY',
    'CLIENTKEY',
    'SIGNINGKEY',
    'ENCRYPTIONKEY',
    'MASTERKEY',
    'CONNECTIONSTRING',
    'DSN',
)
# Short words that make a key a credential when they are one of its words (DB_PASS, dbPass, url.sig), but
# not inside another word (BYPASS, COMPASS).
CREDENTIAL_KEY_WORDS = ('PASS', 'PW', 'SIG', 'SAS', 'JWT')
# In user-defined maps, name/value lists and text (not as an API field, where a tag's Key names something):
# names that are credentials as a whole key (KEY=..., ?sid=..., SESSION=...).
CREDENTIAL_KEY_NAMES = ('KEY', 'SID', 'SESSION', 'SESSIONID')
# In text only (command-line options, KEY=VALUE pairs, query parameters): a last word that makes a name a
# credential (--wandb-key, OPENAI_KEY=..., ?api.key=...). In a user's map it does not (MY_ENV_Key, lower_key).
CREDENTIAL_KEY_LAST_WORDS = ('KEY',)
# Where a key is read: an API field, a key of a user-defined map or the name of a name/value entry, or a
# name in text. Each place adds rules to the one before.
API, USER, TEXT = 0, 1, 2
# The keys of a name/value entry (Kubernetes env lists, DLC Env, tag lists): when the name looks like a
# credential, the value is redacted.
PAIR_NAME_KEYS = ('Name', 'name', 'Key', 'key')
PAIR_VALUE_KEYS = ('Value', 'value')

_NOT_ALNUM = re.compile(r'[^A-Z0-9]')
_WORD_BOUNDARY = re.compile(r'[^A-Za-z0-9]+')
_BOUNDARY_1 = re.compile(r'([A-Z]+)([A-Z][a-z])')
_BOUNDARY_2 = re.compile(r'([a-z0-9])([A-Z])')
_KEY_CACHE: dict[object, tuple[bool, bool, bool]] = {}


def _key_flags(name):
    """(as an API field, as a user's key, in text): whether the name looks like a credential. Cached: keys
    repeat across items."""
    try:
        return _KEY_CACHE[name]
    except KeyError:
        pass
    text = str(name)
    normalized = _NOT_ALNUM.sub('', text.upper())
    words = _WORD_BOUNDARY.sub(' ', _BOUNDARY_2.sub(r'\1 \2', _BOUNDARY_1.sub(r'\1 \2', text))).upper().split()
    api = any(marker in normalized for marker in CREDENTIAL_KEY_MARKERS) or any(
        word in CREDENTIAL_KEY_WORDS for word in words
    )
    user = api or normalized in CREDENTIAL_KEY_NAMES
    flags = (api, user, user or bool(words) and words[-1] in CREDENTIAL_KEY_LAST_WORDS)
    if len(_KEY_CACHE) < 100000:  # a hostile listing must not grow this forever
        _KEY_CACHE[name] = flags
    return flags


def credential_key(name, where=TEXT):
    """True when a name looks like it holds a credential, read as an API field (API), a user's key (USER) or
    a name in text (TEXT): it contains one of CREDENTIAL_KEY_MARKERS or has a word of CREDENTIAL_KEY_WORDS;
    a user's key also when it is one of CREDENTIAL_KEY_NAMES; a name in text also when its last word is one
    of CREDENTIAL_KEY_LAST_WORDS."""
    return _key_flags(name)[where]


# ---------------------------------------------------------------------------------------------
# Credentials inside free text

# scheme://user-info@host: everything up to the last @ before the path is the user-info.
_USERINFO = re.compile(r'(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<info>[^/\s?#"\'<>]+)@')

# Fragments that every credential-looking key or parameter contains: a string without any of them has no
# key-based match, which spares the main expression for nearly every value.
# (Searched in the lower-cased text: an IGNORECASE alternation is ten times slower.)
_TEXT_MARKERS = re.compile(
    r'token|secret|pass|pw|key|auth|cred|sig|cookie|sas|jwt|sid|sess|dsn|connectionstring|'
    r'bearer|basic'
)

_VALUE = r'(?:"[^"]*"?|\'[^\']*\'?|[^\s&#"\'<>;,]*)'
_KEYED = re.compile(
    # "key": "value" and 'key': 'value' (JSON, Python reprs); the value may be cut off.
    r'(?P<q>["\'])(?P<qkey>[A-Za-z0-9_.\-]+)(?P=q)(?P<qsep>\s*:\s*)(?P<qval>"(?:[^"\\]|\\.)*"?|\'[^\']*\'?|[^\s,}\]]*)'
    # --key value, --key=value, -key value (command-line options); the value is not another option.
    r'|(?<![A-Za-z0-9_-])(?P<dash>--?)(?P<fkey>[A-Za-z][A-Za-z0-9_.\-]*)(?P<fsep>=|[ \t]+)(?P<fval>(?!-)'
    + _VALUE
    + r')'
    # key=value (query parameters, environment assignments in command lines, key=value settings).
    r'|(?<![A-Za-z0-9_.\-])(?P<key>[A-Za-z_][A-Za-z0-9_.\-\[\]]*)(?P<sep>=)(?P<val>' + _VALUE + r')'
    # Authorization schemes followed by their credential (one with a digit or a symbol, not a plain word).
    r'|(?P<scheme>\b(?:[Bb]earer|[Bb]asic|BEARER|BASIC)[ \t]+)(?P<sval>(?=[A-Za-z]*[0-9._~+/=\-])[A-Za-z0-9._~+/=\-]{8,})'
)


_NOT_SECRET = frozenset(['', '""', "''", 'null', 'None', 'true', 'false', 'True', 'False'])


def _quoted(value):
    """A redacted value that keeps its quotes, so the text still reads (and parses) as before."""
    if value[:1] in ('"', "'"):
        end = value[0] if len(value) > 1 and value[-1] == value[0] else ''
        return value[0] + REDACTED + end
    return REDACTED


def _keyed(match):
    """A pair with a credential-looking key loses its value; any other pair keeps its key and its value is
    searched in turn (--url https://host/?token=...)."""
    groups = match.groupdict()
    for key, value, secret in (
        ('qkey', 'qval', lambda text: text not in _NOT_SECRET),
        ('fkey', 'fval', bool),
        ('key', 'val', bool),
    ):
        if groups[key] is not None:
            head = match.group(0)[: match.start(value) - match.start(0)]
            text = groups[value]
            if credential_key(groups[key]) and secret(text):
                return head + _quoted(text)
            return head + _KEYED.sub(_keyed, text)
    return groups['scheme'] + REDACTED


def _userinfo(match):
    info = match.group('info')
    user, colon, _password = info.partition(':')
    # user:password keeps the user; a lone user-info may be a token used as the user name.
    return match.group('scheme') + (user + ':' + REDACTED if colon else REDACTED) + '@'


# Every rule needs one of these characters (a pair has "=" or ": " in quotes, an option or a scheme a blank,
# a URL user-info "@"): IDs, times and states have none and are passed over at the cost of one search.
_TRIGGER = re.compile(r'[=@"\'\s]')


def scrub_text(text):
    """A string with every credential the text rules find replaced by REDACTED; anything else unchanged."""
    if not isinstance(text, str) or len(text) < 4 or not _TRIGGER.search(text):
        return text
    if '@' in text and '://' in text:
        text = _USERINFO.sub(_userinfo, text)
    if _TEXT_MARKERS.search(text.lower()):
        text = _KEYED.sub(_keyed, text)
    return text


# ---------------------------------------------------------------------------------------------
# Messages

# Values shorter than this are not searched for: replacing a three-letter "secret" everywhere would garble
# every message without protecting anything.
MIN_SECRET_LENGTH = 4


class Scrubber(object):
    """Removes the credential values in use (a cloud's Cloud.secret_values), in the forms a message may carry
    them (as given, URL-encoded, JSON-escaped), and whatever the text rules find, from every message and
    warning."""

    def __init__(self, values=()):
        forms = set()
        for value in values:
            if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH:
                forms.update(
                    [value, quote(value, safe=''), quote(value, safe='/~'), quote_plus(value), json.dumps(value)[1:-1]]
                )
        # Longest first, so that a value containing another is replaced whole.
        self.forms = sorted((form for form in forms if len(form) >= MIN_SECRET_LENGTH), key=len, reverse=True)

    def add(self, values):
        return Scrubber(list(self.forms) + list(values))

    def __call__(self, value):
        """A message (or a result's values, recursively) without a credential."""
        if isinstance(value, str):
            for form in self.forms:
                if form in value:
                    value = value.replace(form, REDACTED)
            return scrub_text(value)
        if isinstance(value, dict):
            return dict((key, self(child)) for key, child in value.items())
        if isinstance(value, (list, tuple)):
            return [self(child) for child in value]
        return value


# ---------------------------------------------------------------------------------------------
# The walk

_SNAKE_CACHE: dict[str, str] = {}


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


def _pair(entry):
    """For a name/value entry: (the value key when its name looks like a credential, else None; the name
    key). (None, None) for any other object."""
    for value_key in PAIR_VALUE_KEYS:
        if value_key in entry:
            for name_key in PAIR_NAME_KEYS:
                name = entry.get(name_key)
                if isinstance(name, str):
                    return (value_key if credential_key(name, USER) else None), name_key
            return None, None
    return None, None


def _redact_split_options(raw, shaped):
    """A command as a list (["python", "x.py", "--token", "abc"]): the value after a credential-looking
    option is a credential."""
    for index in range(1, len(raw)):
        option, value = raw[index - 1], shaped[index]
        if (
            option.__class__ is str
            and option[:1] == '-'
            and '=' not in option
            and value.__class__ is str
            and value
            and value[:1] != '-'
            and credential_key(option.lstrip('-'))
        ):
            shaped[index] = REDACTED


class Shaper(object):
    """One walk: keys to snake_case (except inside the user-defined maps named in ``keep``) and, unless
    ``redact`` is false, every redaction rule of this module."""

    def __init__(self, secrets=None, keep=(), redact=True):
        self.redact = bool(redact)
        self.rules = _rule_tree(secrets or {}) if self.redact else {}
        self.keep = frozenset(keep)

    def __call__(self, item):
        return self._walk(item, self.rules, True)

    def _walk(self, value, rules, shape_keys):
        # The hot loop of every listing: the common cases (a string, a number, a structure) are told apart
        # by their exact class first; isinstance() only for subclasses.
        if isinstance(value, dict):
            redact = self.redact
            pair_value, pair_name = _pair(value) if redact else (None, None)
            where = API if shape_keys else USER
            flags, trigger, keep = _KEY_CACHE.get, _TRIGGER.search, self.keep
            shaped = {}
            for key, child in value.items():
                rule = rules.get(key) if rules else None
                if rule is not None and callable(rule):
                    child = rule(child)
                    rule = None
                kind = child.__class__
                if kind is str:
                    if redact and child:
                        if key == pair_value or (key != pair_name and (flags(key) or _key_flags(key))[where]):
                            child = REDACTED
                        elif trigger(child):
                            child = scrub_text(child)
                elif kind is dict or kind is list:
                    child = self._walk(child, rule, shape_keys and key not in keep)
                    if redact and kind is list and (flags(key) or _key_flags(key))[where]:
                        # A list of values under a credential-looking key: each value is one.
                        child = [REDACTED if item.__class__ is str and item else item for item in child]
                elif kind is int or kind is float:
                    if redact and (key == pair_value or (key != pair_name and (flags(key) or _key_flags(key))[where])):
                        child = REDACTED
                elif kind is bool or child is None:
                    pass
                elif isinstance(child, (dict, list)):  # subclasses
                    child = self._walk(child, rule, shape_keys and key not in keep)
                elif redact and isinstance(child, str):
                    child = scrub_text(child)
                shaped[snake(key) if shape_keys else key] = child
            return shaped
        if isinstance(value, list):
            shaped = [self._walk(child, rules, shape_keys) for child in value]
            if self.redact:
                _redact_split_options(value, shaped)
            return shaped
        if self.redact and isinstance(value, str):
            return scrub_text(value)
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
