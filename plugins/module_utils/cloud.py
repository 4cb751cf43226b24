# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What one cloud is, in one object. Each cloud's own file (alibaba.py, huawei.py) ends with its CLOUD;
the endpoint table names the cloud of each endpoint by that object. Modules, inventory plugins, the gate
and the event source ask the object, so no other file knows a cloud's options, chain or signer."""

from __future__ import annotations

from urllib.parse import quote, quote_plus

REDACTED = '********'


def scrub(text, secrets):
    """``text`` with every secret value, as given and as a URL would carry it, replaced by ********."""
    if not secrets or not isinstance(text, str):
        return text
    forms = set()
    for value in secrets:
        forms.update((value, quote(value, safe=''), quote(value, safe='~'), quote_plus(value)))
    for form in sorted(forms, key=len, reverse=True):  # longest first: no half-replaced secret remains
        text = text.replace(form, REDACTED)
    return text


def _secret_values(cloud, options, credentials):
    """The default: the values of the options the spec marks no_log, given or found by the chain."""
    values = set()
    for name in cloud.secret_options:
        for value in (options.get(name), getattr(credentials, name, None)):
            if isinstance(value, str) and value:
                values.add(value)
    return values


class Cloud(object):
    """One cloud: its options, how it finds credentials and its endpoint, and how it signs.

    name                 the module_defaults action group (group/jobscope.cloud.<name>) and the label in tests
    spec                 the argument spec of its credential and connection options (modules)
    chain_options        options whose environment variables the credential chain reads itself: an inventory
                         passes them on only when its file sets them, so the chain keeps its own order
    inventory_options    the other options of spec that inventory plugins read (the rest fan out, e.g. regions)
    resolve_credentials  (options, env=None) -> credentials, or OptionError naming the option
    resolve_endpoint     (service, options, env=None, credentials=None) -> base URL, or OptionError
    dialect              the transport.Dialect subclass: signs requests and reads error bodies
    path_values          credentials -> {placeholder: encoded value} the cloud fills into endpoint paths
    doc_fragment         the modules' documentation fragment of spec
    inventory_fragment   the inventory plugins' documentation fragment (with env entries)
    secret_values        (options, credentials or None) -> the secret strings that must never be shown, also
                         those inside options that are not secrets as a whole (a token in a URL's query);
                         every message of a listing is scrubbed of them, and modules never return them
    """

    def __init__(
        self,
        name,
        spec,
        chain_options,
        inventory_options,
        resolve_credentials,
        resolve_endpoint,
        dialect,
        path_values=None,
        doc_fragment=None,
        inventory_fragment=None,
        secret_values=None,
    ):
        self.name = name
        self.spec = spec
        self.chain_options = tuple(chain_options)
        self.inventory_options = tuple(inventory_options)
        self.resolve_credentials = resolve_credentials
        self.resolve_endpoint = resolve_endpoint
        self.dialect = dialect
        self.path_values = path_values or (lambda credentials: {})
        self.doc_fragment = doc_fragment
        self.inventory_fragment = inventory_fragment
        self._secret_values = secret_values

    def secret_values(self, options, credentials=None):
        values = set(_secret_values(self, options, credentials))
        if self._secret_values is not None:
            values.update(self._secret_values(options, credentials))
        return frozenset(value for value in values if isinstance(value, str) and value)

    @property
    def secret_options(self):
        """Options never part of a cache key, a message or an inventory: the ones the spec marks no_log."""
        return frozenset(name for name, spec in self.spec.items() if spec.get('no_log'))

    def __str__(self):
        return self.name

    def __repr__(self):
        return 'Cloud(%r)' % self.name
