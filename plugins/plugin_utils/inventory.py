# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The common base of the jobscope.cloud inventory plugins (controller only).

A plugin is a declaration: its name, the endpoint it lists (module_utils.endpoints), how its sources fan
out (regions, workspaces), its default hostnames and its default groups. Everything else is here:

options -> one listing Plan per source (validated, credentials resolved, before any request)
        -> the cache, or every Plan run concurrently (any failure fails the whole source)
        -> filters -> unique hostnames -> unsafe host variables -> default and constructed groups.

The cache holds the listings as fetched (already shaped and redacted by the Plan), never the built
inventory, so the presentation options can change without a flush.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import socket

from collections import Counter
from collections.abc import Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

try:  # ansible-core 2.19+ (data tagging): a string is a template only when marked trusted
    from ansible.template import trust_as_template
except ImportError:  # before 2.19 every plain string is trusted already
    trust_as_template = None

from ansible_collections.jobscope.cloud.plugins.module_utils.cloud import scrub
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.gate import compile_expression, evaluate, truthy
from ansible_collections.jobscope.cloud.plugins.module_utils.listing import Plan
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import Scrubber, dig, snake
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError, Deadline

# Bump when the cached structure changes: an entry of another format is ignored, not misread.
CACHE_FORMAT = 1

# How many sources (workspaces, regions) are read at once; each reads its pages with `concurrency`.
SOURCE_WORKERS = 4

# The options every plugin reads besides its cloud's (cloud.Cloud: chain_options, inventory_options).
CONNECTION_OPTIONS = (
    'validate_certs',
    'timeout',
    'max_retries',
    'deadline',
    'max_body_size',
    'page_size',
    'max_items',
    'concurrency',
)

# Fan-out options: a list option, and the single option of the listing that each of its entries sets.
FAN_OUT = {'regions': 'region', 'workspace_ids': 'workspace_id'}

_FIELD = re.compile(r'^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$')
_PREFIX = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
_NOT_NAME = re.compile(r'[^A-Za-z0-9_]')
_TEMPLATE_CHARS = re.compile(r'[{}]')
_TEMPLATE_BYTES = re.compile(rb'[{}]')
_JINJA_HEADER = '#jinja2:'
# Names Ansible gives a meaning of its own that get_reserved_names() does not list.
_MAGIC = frozenset(
    [
        'hostvars',
        'groups',
        'group_names',
        'inventory_hostname',
        'inventory_hostname_short',
        'inventory_dir',
        'inventory_file',
        'omit',
        'playbook_dir',
        'play_hosts',
        'role_names',
        'environment',
        'vars',
    ]
)


def _plain(value):
    """Option values as plain JSON data (YAML dates become strings), for Plans, facts and cache keys."""
    return json.loads(json.dumps(value, default=str))


# ---------------------------------------------------------------------------------------------
# Hostnames


class Preference(object):
    """One entry of `hostnames`: a field, optionally with a prefix field and a separator."""

    def __init__(self, name, prefix=None, separator='-'):
        self.name, self.prefix, self.separator = name, prefix, separator

    def __call__(self, facts):
        value = field_text(facts, self.name)
        if value is None or self.prefix is None:
            return value
        prefix = field_text(facts, self.prefix)
        return None if prefix is None else '%s%s%s' % (prefix, self.separator, value)


def field_text(facts, path):
    """A scalar field as text, or None when it is missing, empty, a boolean or a structure."""
    value = dig(facts, path)
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    text = str(value)
    return text if text.strip() else None


def parse_hostnames(entries, option='hostnames'):
    """The `hostnames` option as Preferences; raises OptionError naming the bad entry."""
    if not isinstance(entries, list) or not entries:
        raise OptionError(option, '%s must be a non-empty list' % option)
    preferences = []
    for index, entry in enumerate(entries):
        label = '%s[%d]' % (option, index)
        if isinstance(entry, str):
            entry = {'name': entry}
        if not isinstance(entry, Mapping):
            raise OptionError(label, '%s must be a field name or a dictionary with name, prefix and separator' % label)
        unknown = sorted(set(entry) - set(['name', 'prefix', 'separator']))
        if unknown:
            raise OptionError(label, '%s has unknown keys: %s' % (label, ', '.join(unknown)))
        for key in ('name', 'prefix'):
            value = entry.get(key)
            if (key == 'name' or value is not None) and not (isinstance(value, str) and _FIELD.match(value)):
                raise OptionError(
                    label,
                    '%s.%s must be a field name such as cluster_id or head_spec.queue_name '
                    '(letters, digits, _ and dots; no templates), got %r' % (label, key, value),
                )
        separator = entry.get('separator', '-')
        if not isinstance(separator, str):
            raise OptionError(label, '%s.separator must be a string' % label)
        preferences.append(Preference(str(entry['name']), entry.get('prefix') and str(entry['prefix']), str(separator)))
    return preferences


def assign_hostnames(hosts, preferences, id_field, forbidden=None, renamed=None):
    """Unique hostnames for a list of host facts, in the same order.

    1. The first preference with a value names the host; without one, the item ID does.
    2. A name that more than one host got becomes <name>_<item ID> for every one of them (not only for
       the later ones, so that no name depends on the listing order); a name that is the ID stays.
       So does a name that ``forbidden(name)`` refuses (a group, a host of another source, localhost).
    3. Whatever still collides or is still refused (the same ID from two sources, an ID that is refused)
       gets _2, _3, ... in source order.

    ``renamed``, a list, receives (name, new name) for each host renamed because its name was refused.
    """
    forbidden = forbidden or (lambda name: False)
    ids = [field_text(host, id_field) for host in hosts]
    names = []
    for index, host in enumerate(hosts):
        name = next((value for value in (preference(host) for preference in preferences) if value is not None), None)
        names.append(name or ids[index] or 'item_%d' % (index + 1))
    original = list(names)
    counts = Counter(names)
    for index, name in enumerate(names):
        if (counts[name] > 1 or forbidden(name)) and ids[index] and name != ids[index]:
            names[index] = '%s_%s' % (name, ids[index])
    seen = Counter()
    taken = set(names)
    for index, name in enumerate(names):
        seen[name] += 1
        if seen[name] > 1 or forbidden(name):
            number = seen[name] if seen[name] > 1 else 2
            while '%s_%d' % (name, number) in taken or forbidden('%s_%d' % (name, number)):
                number += 1
            names[index] = '%s_%d' % (name, number)
            taken.add(names[index])
    if renamed is not None:
        renamed.extend(
            (before, after) for before, after in zip(original, names) if before != after and forbidden(before)
        )
    return names


# Names of this machine: a host named so would be taken for the controller (ansible.builtin.* "localhost"
# rules, DNS) - the name must never come from a remote value.
_LOCAL_NAMES = frozenset(
    [
        'localhost',
        'localhost.localdomain',
        'localhost4',
        'localhost4.localdomain4',
        'localhost6',
        'localhost6.localdomain6',
        'ip6-localhost',
        'ip6-loopback',
    ]
)


def is_local_name(name):
    """True for localhost and its variants, and for any spelling of a loopback or unspecified address
    (127.0.0.1, 127.1, 2130706433, ::1, [::1], ::ffff:127.0.0.1, 0.0.0.0)."""
    text = str(name).strip().lower().rstrip('.')
    if text in _LOCAL_NAMES or text.endswith('.localhost'):
        return True
    text = text[1:-1] if text.startswith('[') and text.endswith(']') else text
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        address = None
    if address is not None:
        mapped = getattr(address, 'ipv4_mapped', None)
        return any(
            candidate is not None and (candidate.is_loopback or candidate.is_unspecified)
            for candidate in (address, mapped)
        )
    try:
        packed = socket.inet_aton(text)  # the forms a resolver accepts: 127.1, 0x7f.1, 2130706433
    except (OSError, ValueError):
        return False
    return packed[0] == 127 or packed == b'\0\0\0\0'


# ---------------------------------------------------------------------------------------------
# Host variables and groups


def group_name(*parts):
    """A safe group name from its parts: lowercase, [a-z0-9_] only, empty parts left out."""
    text = '_'.join(str(part) for part in parts if part not in (None, ''))
    return _NOT_NAME.sub('_', text).lower()


def host_variables(facts, prefix):
    """{<prefix><field>: value}; top-level keys are made identifiers, nested values are kept as they are."""
    return dict((prefix + _NOT_NAME.sub('_', str(key)), value) for key, value in facts.items())


def reserved_names():
    """Names Ansible reserves (play keywords) or sets itself (magic variables): never a host variable."""
    names = set(_MAGIC)
    try:
        from ansible import constants
        from ansible.vars.reserved import get_reserved_names

        names.update(get_reserved_names())
        names.update(getattr(constants, 'INTERNAL_STATIC_VARS', ()))
    except Exception:  # pragma: no cover - the list is a safety net, not a requirement
        pass
    return frozenset(names)


def make_unsafe(value):
    """Remote data as Ansible must see it: never a template, however it reads.

    Every string that could be read as a template - one with a { or a } (all Jinja delimiters have one), or
    one that starts with Jinja's "#jinja2:" override header - is marked unsafe, at any depth and in keys
    too. A string without either cannot be a template: it stays a plain string (before ansible-core 2.19)
    or is marked trusted (2.19+, where everything an inventory plugin sets is untrusted otherwise), so that
    ``ansible-inventory --list --export`` (AWX's import) writes it as a plain string rather than
    {"__ansible_unsafe": ...}, which AWX's enabled_var/enabled_value comparison cannot read.
    """
    if isinstance(value, Mapping):
        return dict((make_unsafe(key), make_unsafe(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [make_unsafe(item) for item in value]
    if isinstance(value, str):
        if _TEMPLATE_CHARS.search(value) or value.lstrip().startswith(_JINJA_HEADER):
            return wrap_var(value)
        return trusted(value)
    if isinstance(value, bytes):
        return wrap_var(value) if _TEMPLATE_BYTES.search(value) or value.lstrip().startswith(b'#jinja2:') else value
    return value


def trusted(text):
    """A string that cannot be a template, as every core shows a plain string (see make_unsafe).

    Marking costs microseconds a string and states, types and names repeat across thousands of hosts: a
    marked string is immutable, so one copy per distinct short text is reused."""
    if trust_as_template is None:
        return text
    try:
        return _TRUSTED[text]
    except KeyError:
        marked = trust_as_template(text)
        if len(text) <= 200 and len(_TRUSTED) < 100000:
            _TRUSTED[text] = marked
        return marked


_TRUSTED: dict[str, object] = {}


class Filters(object):
    """include_filters / exclude_filters: JMESPath over the host facts, compiled before any request."""

    def __init__(self, include=None, exclude=None):
        self.include = self._compile('include_filters', include)
        self.exclude = self._compile('exclude_filters', exclude)

    @staticmethod
    def _compile(option, expressions):
        compiled = []
        for index, expression in enumerate(expressions or []):
            label = '%s[%d]' % (option, index)
            if not isinstance(expression, str) or not expression.strip():
                raise OptionError(label, '%s must be a JMESPath expression, got %r' % (label, expression))
            compiled.append((label, compile_expression(str(expression), label)))
        return compiled

    def keep(self, facts):
        if self.include and not any(self._holds(label, compiled, facts) for label, compiled in self.include):
            return False
        return not any(self._holds(label, compiled, facts) for label, compiled in self.exclude)

    @staticmethod
    def _holds(label, compiled, facts):
        try:
            # With the time functions: age(submitted_at_time) > `3600` keeps the jobs queued over an hour.
            return truthy(evaluate(compiled, facts))
        except Exception as exc:  # a JMESPath type error in a function call: loud, never a silent drop
            raise OptionError(label, '%s failed on an item: %s' % (label, exc))


# ---------------------------------------------------------------------------------------------
# The plugin base


class JobscopeInventory(BaseInventoryPlugin, Constructable, Cacheable):
    """Subclasses declare NAME, ENDPOINT, HOSTNAMES, GROUP_BY and SOURCES; nothing else."""

    NAME: str | None = None  # the fully qualified plugin name, e.g. jobscope.cloud.emr_ray_clusters
    ENDPOINT: str | None = None  # the key of module_utils.endpoints.ENDPOINTS
    HOSTNAMES: tuple[str | dict[str, str], ...] = ()  # the default `hostnames` preferences
    GROUP_BY: tuple[tuple[str, str], ...] = ()  # (label, field) of the default groups; label '' for state or status
    SOURCES: tuple[str, ...] = ()  # fan-out list options, from FAN_OUT, in nesting order

    _scrub = Scrubber()  # replaced in parse() by one that knows the credentials in use

    @property
    def short_name(self):
        return self.NAME.rsplit('.', 1)[-1]

    @property
    def endpoint(self):
        return ENDPOINTS[self.ENDPOINT]

    def verify_file(self, path):
        """Files named <plugin>.yml or *.<plugin>.yml (and .yaml), for example prod.emr_ray_clusters.yml."""
        if not super(JobscopeInventory, self).verify_file(path):
            return False
        base = os.path.basename(path)
        return any(
            base == self.short_name + ext or base.endswith('.' + self.short_name + ext) for ext in ('.yml', '.yaml')
        )

    # ---- parse -------------------------------------------------------------------------------

    def parse(self, inventory, loader, path, cache=True):
        super(JobscopeInventory, self).parse(inventory, loader, path)
        config = self._read_config_data(path)
        # Every message is scrubbed of the credentials: those of the file until they are resolved, then
        # those in use, wherever they came from (file, environment, profile).
        self._scrub = Scrubber(self.endpoint.cloud.secret_values(config))
        try:
            settings = self._settings()
            plans = self._plans(config)
        except OptionError as exc:
            raise AnsibleParserError(self._scrub('%s: %s' % (self.NAME, exc))) from None
        for _facts, _options, plan in plans:
            self._scrub = self._scrub.add(plan.scrub.forms)

        use_cache = bool(self.get_option('cache'))
        key = self.get_cache_key(path) if use_cache else None
        query = self._query_digest(plans)
        listings = None
        if use_cache and cache:
            listings = self._cached(key, query)
        if listings is None:
            listings, warnings = self._fetch(plans)
            for warning in warnings:
                self.display.warning(self._scrub(warning))
            if use_cache:
                if all(listing['complete'] for listing in listings):
                    self._cache[key] = {'format': CACHE_FORMAT, 'query': query, 'listings': listings}
                else:
                    # Not cached, and an older listing must not be read instead: leave a tombstone.
                    self._cache[key] = {'format': CACHE_FORMAT, 'query': None}
        try:
            self._populate(listings, settings)
        except OptionError as exc:
            raise AnsibleParserError(self._scrub('%s: %s' % (self.NAME, exc))) from None

    def _settings(self):
        prefix = self.get_option('hostvar_prefix')
        if not isinstance(prefix, str) or not _PREFIX.match(prefix) or prefix.lower().startswith('ansible'):
            raise OptionError(
                'hostvar_prefix',
                'hostvar_prefix must be a non-empty name of letters, digits and _ '
                'that does not start with "ansible", got %r' % (prefix,),
            )
        hostnames = self.get_option('hostnames')
        preferences = parse_hostnames(list(self.HOSTNAMES) if hostnames is None else hostnames)
        return {
            'prefix': prefix,
            'hostnames': preferences,
            'filters': Filters(self.get_option('include_filters'), self.get_option('exclude_filters')),
            'default_groups': self.get_option('default_groups'),
            'strict': self.get_option('strict'),
        }

    # ---- sources and plans -------------------------------------------------------------------

    def _listing_options(self, config):
        """The options every source shares, as a listing Plan reads them."""
        endpoint = self.endpoint
        fanned = set(FAN_OUT[name] for name in self.SOURCES)
        names = [param.option for param in endpoint.params if param.option not in fanned]
        cloud = endpoint.cloud
        names += list(cloud.chain_options) + list(cloud.inventory_options) + list(CONNECTION_OPTIONS)
        options = {}
        for name in names:
            # Only a value set in the inventory file is passed on as an option, so the credential chain sees
            # the environment in its own order, exactly as the modules do (a profile in the file beats
            # environment keys).
            if name in cloud.chain_options and name not in config:
                continue  # left to the credential chain, which reads the environment itself
            value = self.get_option(name)
            if value is not None:
                options[name] = _plain(value)
        for param in endpoint.params:
            _check_suboptions(param, options.get(param.option))
        options['redact'] = True  # never cache or show a raw credential
        return options

    def _sources(self):
        """The facts of each source: {'region': ..., 'workspace_id': ...}, in a stable order."""
        sources = [{}]
        if 'regions' in self.SOURCES:
            regions = _unique(self.get_option('regions') or [])
            if self.get_option('endpoint') and len(regions) > 1:
                self.display.warning(
                    '%s: endpoint is set, so the listing is read once from it; regions %s are '
                    'ignored' % (self.NAME, ', '.join(regions))
                )
                regions = []
            sources = [{'region': region} for region in regions] or [{}]
        if 'workspace_ids' in self.SOURCES:
            workspaces = _unique(self.get_option('workspace_ids') or [])
            if not workspaces:
                raise OptionError('workspace_ids', 'workspace_ids must list at least one workspace')
            fanned = []
            for entry in workspaces:
                region, _sep, workspace = entry.rpartition('/')
                if not workspace.strip() or (_sep and not region.strip()):
                    raise OptionError(
                        'workspace_ids', 'workspace_ids entries are WORKSPACE or REGION/WORKSPACE, got %r' % entry
                    )
                if region:
                    fanned.append({'region': region, 'workspace_id': workspace})
                else:
                    fanned.extend(dict(source, workspace_id=workspace) for source in sources)
            sources = [dict(source) for source in _unique_dicts(fanned)]
        return sources

    def _plans(self, config):
        """One validated Plan per source: options checked and credentials resolved, no request made."""
        base = self._listing_options(config)
        plans = []
        for facts in self._sources():
            facts = _plain(facts)
            options = dict(base)
            options.update(facts)
            plans.append((facts, options, Plan(self.endpoint, options)))
        return plans

    def _query_digest(self, plans):
        """What selects the listing - not how it is shown: a change of it makes a new listing.

        Option values are taken as written (a relative time such as -1h is the same query on every run);
        secrets are left out (also those inside other options), the account is in through its access key ID
        or project.
        """
        secrets = self.endpoint.cloud.secret_options
        material = {
            'plugin': self.NAME,
            'sources': [
                (
                    facts,
                    sorted(
                        (name, scrub(value, plan.secrets)) for name, value in options.items() if name not in secrets
                    ),
                    plan.dialect.base,
                    getattr(plan.dialect.credentials, 'access_key_id', None),
                    getattr(plan.dialect.credentials, 'project_id', None),
                )
                for facts, options, plan in plans
            ],
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode('utf-8')).hexdigest()

    # ---- cache and fetch ---------------------------------------------------------------------

    def _cached(self, key, query):
        """The cached listings of this query, or None. An entry that cannot be read or is not what this
        plugin writes is dropped with a warning and read again - never an empty inventory."""
        try:
            entry = self._cache[key]
        except KeyError:
            return None
        except Exception as exc:  # a corrupt file: the cache plugin raises AnsibleError (or anything else)
            return self._drop_cache(key, 'cannot be read (%s)' % type(exc).__name__)
        if not isinstance(entry, Mapping) or entry.get('format') != CACHE_FORMAT:
            return self._drop_cache(key, 'is not in the format this plugin writes')
        if entry.get('query') != query:
            return None
        listings = entry.get('listings')
        if not _valid_listings(listings):
            return self._drop_cache(key, 'holds listings that are not what this plugin writes')
        return listings

    def _drop_cache(self, key, why):
        self.display.warning('%s: the cache entry %s; it is dropped and the listing read again' % (self.NAME, why))
        try:
            del self._cache[key]
        except Exception:  # nothing cached in memory: the corrupt file is replaced once the listing is read
            pass
        return None

    def _fetch(self, plans):
        """Every source, concurrently; all of them or an AnsibleParserError with the cloud's error."""
        result_key = self.endpoint.result_key

        def run(facts, plan):
            deadline = Deadline(plan.deadline)  # one per source, its second reading included
            result, listing = plan.run(deadline=deadline)
            warnings = list(listing.warnings)
            if not result['complete']:
                # The listing changed while it was read: read it once more for a consistent view.
                result, listing = plan.run(deadline=deadline)
                warnings = list(listing.warnings)
            items = result[result_key]  # every one an object: the listing checks each page (paging.page_check)
            return {
                'facts': facts,
                'items': items,
                'complete': result['complete'],
                'total': result.get('total'),
            }, warnings

        workers = max(1, min(SOURCE_WORKERS, len(plans)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run, facts, plan) for facts, _options, plan in plans]
            wait(futures, return_when=FIRST_EXCEPTION)
            failed = [future for future in futures if future.done() and future.exception() is not None]
            if failed:
                for future in futures:
                    future.cancel()
        if failed:
            index = futures.index(failed[0])
            error = failed[0].exception()
            where = _describe(plans[index][0])
            if isinstance(error, CloudError):
                raise AnsibleParserError(self._scrub('%s%s' % (error, ' (%s)' % where if where else '')))
            if isinstance(error, OptionError):
                raise AnsibleParserError(self._scrub('%s: %s' % (self.NAME, error)))
            # Not re-raised as it is: its message and traceback (shown at -vvv) may hold anything.
            raise AnsibleParserError(self._scrub('%s: unexpected %s: %s' % (self.NAME, type(error).__name__, error)))
        listings, warnings = [], []
        for future, (facts, _options, _plan) in zip(futures, plans):
            listing, messages = future.result()
            listings.append(listing)
            where = _describe(facts)
            warnings.extend('%s%s: %s' % (self.NAME, ' (%s)' % where if where else '', message) for message in messages)
        return listings, warnings

    # ---- hosts ---------------------------------------------------------------------------------

    def _populate(self, listings, settings):
        filters = settings['filters']
        hosts = []
        for listing in listings:
            for item in listing.get('items') or []:
                facts = dict(item)
                for key, value in (listing.get('facts') or {}).items():
                    facts.setdefault(key, value)
                if filters.keep(facts):
                    hosts.append(facts)
        id_field = snake(self.endpoint.item_id)
        prefix, strict = settings['prefix'], settings['strict']
        reserved = reserved_names()
        prepared = []
        for facts in hosts:
            variables = host_variables(facts, prefix)
            clash = sorted(variable for variable in variables if variable in reserved)
            if clash:
                raise OptionError(
                    'hostvar_prefix', 'hostvar_prefix %r makes reserved variable names: %s' % (prefix, ', '.join(clash))
                )
            prepared.append((facts, variables))
        compose, groups, keyed = self.get_option('compose'), self.get_option('groups'), self.get_option('keyed_groups')

        # A remote value never names a host after a group (the inventory's, or one this source makes), a
        # host of another source, or this machine: such a host gets its item ID (renamed, with a warning).
        default_groups = settings['default_groups']
        taken = set(['all', 'ungrouped', self.short_name]) | set(self.inventory.groups) | set(self.inventory.hosts)
        if default_groups:
            for facts in hosts:
                taken.update(self._default_group_names(facts))
        tentative = assign_hostnames(hosts, settings['hostnames'], id_field)
        taken.update(self._constructed_group_names(tentative, prepared, compose, groups, keyed, strict))
        renamed = []
        names = assign_hostnames(
            hosts,
            settings['hostnames'],
            id_field,
            forbidden=lambda name: name in taken or is_local_name(name),
            renamed=renamed,
        )
        if renamed:
            shown = ', '.join('%r -> %r' % pair for pair in renamed[:5])
            self.display.warning(
                self._scrub(
                    '%s: %d host(s) renamed with their item ID, because their name is a group name, a host of another '
                    'inventory source or a name of this machine (localhost, a loopback address): %s%s'
                    % (self.NAME, len(renamed), shown, ', ...' if len(renamed) > 5 else '')
                )
            )

        # Every check is done: only now does the inventory change. Variables (ansible_connection included)
        # go only on hosts this source creates; the names above are new to the inventory.
        for name, (facts, variables) in zip(names, prepared):
            variables = make_unsafe(variables)
            variables['ansible_connection'] = trusted('local')
            host = self.inventory.add_host(make_unsafe(name))
            for variable, value in variables.items():
                self.inventory.set_variable(host, variable, value)
            if default_groups:
                for group in self._default_group_names(facts):
                    self.inventory.add_group(group)
                    self.inventory.add_child(group, host)
            self._set_composite_vars(compose, variables, host, strict=strict)
            self._add_host_to_composed_groups(groups, variables, host, strict=strict)
            self._add_host_to_keyed_groups(keyed, variables, host, strict=strict)
        _guard_later_sources(
            self.inventory,
            self.display,
            self.NAME,
            dict((name, field_text(facts, id_field)) for name, facts in zip(names, hosts)),
        )

    def _default_group_names(self, facts):
        names = [self.short_name]
        for label, field in self.GROUP_BY:
            value = field_text(facts, field)
            if value is not None:
                names.append(group_name(self.short_name, label, value))
        return names

    def _constructed_group_names(self, names, prepared, compose, groups, keyed, strict):
        """The groups that groups and keyed_groups make of these hosts, found by building them once in a
        scratch inventory (their names come from templates over the host variables)."""
        if not groups and not keyed:
            return set()
        inventory, scratch = self.inventory, InventoryData()
        self.inventory = scratch
        try:
            for name, (_facts, variables) in zip(names, prepared):
                variables = make_unsafe(variables)
                host = scratch.add_host(make_unsafe(name))
                for variable, value in variables.items():
                    scratch.set_variable(host, variable, value)
                self._set_composite_vars(compose, variables, host, strict=strict)
                self._add_host_to_composed_groups(groups, variables, host, strict=strict)
                self._add_host_to_keyed_groups(keyed, variables, host, strict=strict)
        finally:
            self.inventory = inventory
        return set(scratch.groups)


def _guard_later_sources(inventory, display, plugin, created):
    """Sources read after this one cannot know its hosts: when one of them adds a host or a group named like
    a host created here (a static prod-db-1 listed after the plugin), this plugin's host steps aside - it is
    renamed <name>_<item ID>, with its variables and groups - and the other source gets a host of its own,
    without a variable of this plugin. The guard lasts while the sources are read: the inventory's
    reconcile_inventory(), which follows the last source, removes it (a play's add_host is left alone)."""
    data = getattr(inventory, '__wrapped__', inventory)  # ansible-core 2.19+ hands plugins a proxy
    guard = data.__dict__.get('_jobscope_guard')
    if guard is None:
        guard = data.__dict__['_jobscope_guard'] = {'hosts': {}, 'plugins': {}}
        add_host, add_group, reconcile = data.add_host, data.add_group, data.reconcile_inventory

        def step_aside(name):
            item_id = guard['hosts'].pop(name, False)
            if item_id is False or name not in data.hosts:
                return
            old = data.hosts[name]
            base = '%s_%s' % (name, item_id) if item_id else name
            new_name, number = base, 2
            while new_name in data.hosts or new_name in data.groups or new_name == name:
                new_name, number = '%s_%d' % (base, number), number + 1
            groups = [group for group in old.get_groups() if group.name != 'all']
            variables = dict(old.vars)
            data.remove_host(old)
            add_host(new_name)
            for variable, value in variables.items():
                data.hosts[new_name].set_variable(variable, value)
            for group in groups:
                group.add_host(data.hosts[new_name])
            data._groups_dict_cache = {}
            guard['hosts'][new_name] = None  # guarded in turn, by that name
            guard['plugins'][new_name] = guard['plugins'].get(name, plugin)
            display.warning(
                '%s: a later inventory source also has a host or group named %r; the host of this plugin is renamed %r'
                % (guard['plugins'].get(name, plugin), name, new_name)
            )

        def guarded_add_host(host, group=None, port=None):
            if host in guard['hosts']:
                step_aside(host)
            return add_host(host, group, port)

        def guarded_add_group(group):
            if group in guard['hosts']:
                step_aside(group)
            return add_group(group)

        def unguarded_reconcile():
            for name in ('add_host', 'add_group', 'reconcile_inventory', '_jobscope_guard'):
                data.__dict__.pop(name, None)
            return reconcile()

        data.add_host, data.add_group, data.reconcile_inventory = (
            guarded_add_host,
            guarded_add_group,
            unguarded_reconcile,
        )
    guard['hosts'].update(created)
    guard['plugins'].update((name, plugin) for name in created)


def _valid_listings(listings):
    """What _fetch returns: a list of {'facts': {...}, 'items': [{...}, ...], 'complete': bool, 'total'}."""
    if not isinstance(listings, list):
        return False
    for listing in listings:
        if (
            not isinstance(listing, Mapping)
            or not isinstance(listing.get('items'), list)
            or not isinstance(listing.get('facts', {}), Mapping)
            or not isinstance(listing.get('complete'), bool)
        ):
            return False
        if not all(isinstance(item, Mapping) for item in listing['items']):
            return False
    return True


def _unique(values):
    seen, out = set(), []
    for value in values:
        value = str(value).strip()
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def _unique_dicts(dicts):
    seen, out = set(), []
    for item in dicts:
        key = tuple(sorted(item.items()))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _describe(facts):
    return ', '.join('%s %s' % (key.replace('_id', ''), value) for key, value in sorted(facts.items()))


def _check_suboptions(param, value):
    """The modules' argument spec refuses unknown suboptions; so does the inventory."""
    if not param.fields or value is None:
        return
    if not isinstance(value, Mapping):
        raise OptionError(param.option, '%s must be a dictionary' % param.option)
    known = set(field.option for field in param.fields)
    unknown = sorted(set(value) - known)
    if unknown:
        raise OptionError(
            param.option,
            '%s has unknown keys %s; known: %s' % (param.option, ', '.join(unknown), ', '.join(sorted(known))),
        )
