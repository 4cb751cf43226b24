# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every inventory plugin's EXAMPLES is a stream of YAML documents, each one a whole configuration file a
user can copy: it names the plugin and repeats no key (several files in one document would)."""

from __future__ import annotations

import ast
import os

import pytest

yaml = pytest.importorskip('yaml')

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGINS = os.path.join(HERE, '..', '..', '..', '..', 'plugins', 'inventory')


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a mapping with a repeated key (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, 'duplicate key %r' % (key,), key_node.start_mark)
            seen.add(key)
        return super(StrictLoader, self).construct_mapping(node, deep=deep)


def examples():
    found = []
    for name in sorted(os.listdir(PLUGINS)):
        if name.endswith('.py') and name != '__init__.py':
            with open(os.path.join(PLUGINS, name), encoding='utf-8') as handle:
                tree = ast.parse(handle.read())
            text = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
                    and getattr(node.targets[0], 'id', None) == 'EXAMPLES']
            found.append((name[:-3], text[0] if text else None))
    return found


def test_the_strict_loader_refuses_a_repeated_key():
    with pytest.raises(yaml.constructor.ConstructorError):
        list(yaml.load_all('plugin: a\nregions: [x]\nplugin: a\n', Loader=StrictLoader))


@pytest.mark.parametrize('name,text', examples())
def test_each_example_is_one_document_for_this_plugin(name, text):
    assert text, '%s has no EXAMPLES' % name
    documents = list(yaml.load_all(text, Loader=StrictLoader))
    assert documents and all(isinstance(document, dict) for document in documents), name
    for document in documents:
        assert document['plugin'] == 'jobscope.cloud.%s' % name
