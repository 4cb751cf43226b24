# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a release claims, checked against what CI does: the ansible-core versions, the collection's version
and every plugin's version_added, the license text the file headers point to."""

from __future__ import annotations

import ast
import os
import re

import pytest

yaml = pytest.importorskip('yaml')

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIRST_RELEASE = (1, 0, 0)
VERSION = re.compile(r'^(\d+)\.(\d+)\.(\d+)$')


def read(*path):
    with open(os.path.join(ROOT, *path), encoding='utf-8') as handle:
        return handle.read()


def version(text, where):
    match = VERSION.match(str(text))
    assert match, '%s: %r is not a release version X.Y.Z' % (where, text)
    return tuple(int(part) for part in match.groups())


def makefile_words(name):
    match = re.search(r'^%s\s*:=\s*(.*)$' % name, read('Makefile'), re.MULTILINE)
    assert match, 'Makefile: no %s' % name
    return match.group(1).split()


def plugin_docs():
    """(path, DOCUMENTATION as YAML) of every plugin and event source that carries one."""
    found = []
    for top in ('plugins', os.path.join('extensions', 'eda', 'plugins')):
        for folder, _dirs, files in os.walk(os.path.join(ROOT, top)):
            if os.sep + 'module_utils' in folder or os.sep + 'plugin_utils' in folder:
                continue
            for name in sorted(files):
                if not name.endswith('.py') or name == '__init__.py':
                    continue
                path = os.path.join(folder, name)
                with open(path, encoding='utf-8') as handle:
                    tree = ast.parse(handle.read(), path)
                for node in tree.body:
                    if (isinstance(node, ast.Assign) and len(node.targets) == 1
                            and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION'
                            and isinstance(node.value, ast.Constant)):
                        found.append((os.path.relpath(path, ROOT), yaml.safe_load(node.value.value)))
    return found


def test_requires_ansible_is_the_lowest_version_ci_tests():
    runtime = yaml.safe_load(read('meta', 'runtime.yml'))
    match = re.match(r'^>=(\d+\.\d+)\.0$', runtime['requires_ansible'])
    assert match, runtime['requires_ansible']
    tested = makefile_words('STABLE_CORES')
    assert match.group(1) == tested[0], 'requires_ansible %s, but CI tests from %s' % (match.group(1), tested[0])
    minors = [tuple(int(part) for part in core.split('.')) for core in tested]
    # Every minor version from the lowest to the newest, none left out.
    assert minors == [(2, minor) for minor in range(minors[0][1], minors[-1][1] + 1)], tested
    assert makefile_words('DEFAULT_CORE')[0] in tested


def test_the_collection_version_is_a_release():
    assert version(yaml.safe_load(read('galaxy.yml'))['version'], 'galaxy.yml') >= FIRST_RELEASE


def test_every_plugin_and_role_says_when_it_was_added():
    release = version(yaml.safe_load(read('galaxy.yml'))['version'], 'galaxy.yml')
    claims = [(path, doc.get('version_added')) for path, doc in plugin_docs() if 'version_added' in doc or
              not path.startswith(os.path.join('plugins', 'doc_fragments'))]
    for role in sorted(os.listdir(os.path.join(ROOT, 'roles'))):
        specs = yaml.safe_load(read('roles', role, 'meta', 'argument_specs.yml'))['argument_specs']
        claims.extend(('roles/%s %s' % (role, entry), spec.get('version_added')) for entry, spec in specs.items())
    assert len(claims) >= 11
    for where, added in claims:
        assert added is not None, '%s has no version_added' % where
        # The first release is 1.0.0: nothing is older, and nothing newer than the version being released.
        assert FIRST_RELEASE <= version(added, where) <= release, where


def test_the_license_text_the_headers_point_to_is_there():
    text = read('LICENSES', 'GPL-3.0-or-later.txt')
    assert 'GNU GENERAL PUBLIC LICENSE' in text and 'Version 3, 29 June 2007' in text
    assert 'END OF TERMS AND CONDITIONS' in text
    # galaxy.yml names the top-level copy (Galaxy links it as the license); it is the same text.
    galaxy = yaml.safe_load(read('galaxy.yml'))
    assert 'license' not in galaxy, 'galaxy.yml takes license or license_file, not both'
    assert read(galaxy['license_file']) == text
    # Both are shipped: build_ignore leaves them in the tarball.
    assert not {'COPYING', 'LICENSES', galaxy['license_file']} & set(galaxy.get('build_ignore') or [])


def shipped_docs():
    galaxy = yaml.safe_load(read('galaxy.yml'))
    docs = [galaxy['readme'], 'CONTRIBUTING.md']
    for folder, _dirs, files in os.walk(os.path.join(ROOT, 'docs')):
        docs.extend(os.path.relpath(os.path.join(folder, name), ROOT) for name in files if name.endswith('.md'))
    for role in sorted(os.listdir(os.path.join(ROOT, 'roles'))):
        if os.path.exists(os.path.join(ROOT, 'roles', role, 'README.md')):
            docs.append(os.path.join('roles', role, 'README.md'))
    return docs


def not_shipped(path):
    """Whether galaxy.yml's build_ignore leaves `path` (relative to the root) out of the tarball."""
    import fnmatch
    patterns = yaml.safe_load(read('galaxy.yml')).get('build_ignore') or []
    parts = path.split('/')
    return any(fnmatch.fnmatch('/'.join(parts[:index]), pattern) or fnmatch.fnmatch(part, pattern)
               for pattern in patterns for index, part in enumerate(parts, 1))


def test_build_ignore_leaves_out_what_the_tarball_must_not_hold():
    assert not_shipped('benchmarks/README.md') and not_shipped('Makefile') and not_shipped('tools/x.py')
    assert not not_shipped('docs/awx.md') and not not_shipped('tests/unit/test_release_metadata.py')


@pytest.mark.parametrize('doc', shipped_docs())
def test_shipped_docs_link_only_what_the_tarball_holds(doc):
    """A relative link or a path in backquotes must name a file the built collection holds; nothing outside
    the repository (../shared) and nothing build_ignore leaves out (benchmarks/, tools/, the Makefile)."""
    text = read(doc)
    here = os.path.dirname(doc)
    for target in re.findall(r'\]\(([^)#\s]+)(?:#[^)]*)?\)', text):
        if re.match(r'^[a-z]+:', target):
            continue  # a URL
        path = os.path.normpath(os.path.join(here, target))
        assert not path.startswith('..'), '%s links %s, outside the collection' % (doc, target)
        assert os.path.exists(os.path.join(ROOT, path)), '%s links %s, which does not exist' % (doc, target)
        assert not not_shipped(path), '%s links %s, which the tarball leaves out' % (doc, target)
    for quoted in re.findall(r'`([^`\s]+)`', text):
        top = quoted.split('/')[0]
        if '/' in quoted and top in ('shared', '..'):
            raise AssertionError('%s cites %s, outside the repository' % (doc, quoted))
        if '/' in quoted and not_shipped(quoted.rstrip('/')) and top in ('benchmarks', 'tools', '.ci'):
            raise AssertionError('%s cites %s, which the tarball leaves out' % (doc, quoted))
