# Copyright: jobscope.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dry-run `antsibull-changelog release` on a scratch copy of the collection and check what it says.

Usage: check_release_notes.py COLLECTION_DIR   (a tree at .../ansible_collections/NAMESPACE/NAME)

The copy is released under galaxy.yml's version (the collection dir is left untouched). Then:
- every module, inventory plugin (and any other plugin type ansible-doc lists), role and EDA event
  source of the collection that carries `version_added` equal to that version is listed as new in it
  (modules, plugins and roles by antsibull-changelog itself from their version_added; event sources,
  which it does not know, by a changelog fragment that names them);
- the release has a release summary;
- a first release (no earlier release in changelogs/changelog.yaml) has nothing but the summary, the new
  plugins and trivial fragments: a list of "bugfixes" to code that was never released reads wrong.
Prints the generated CHANGELOG.rst. Exit status 1 on any finding.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

NON_PLUGIN_DIRS = ('module_utils', 'plugin_utils', 'doc_fragments')


def documentation(path):
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), path)
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION' and isinstance(node.value, ast.Constant)):
            return yaml.safe_load(node.value.value) or {}
    return None


def added_in(root, version):
    """{'module': {...}, 'inventory': {...}, 'role': {...}, 'event_source': {...}} of what version_added says."""
    found = {}
    plugins = os.path.join(root, 'plugins')
    for kind in sorted(os.listdir(plugins)) if os.path.isdir(plugins) else ():
        if kind in NON_PLUGIN_DIRS or not os.path.isdir(os.path.join(plugins, kind)):
            continue
        for name in sorted(os.listdir(os.path.join(plugins, kind))):
            if name.endswith('.py') and name != '__init__.py':
                doc = documentation(os.path.join(plugins, kind, name))
                # An action plugin shares its module's documentation (and its changelog entry).
                if doc is not None and str(doc.get('version_added')) == version:
                    found.setdefault(kind.rstrip('s') if kind == 'modules' else kind, set()).add(name[:-3])
    sources = os.path.join(root, 'extensions', 'eda', 'plugins', 'event_source')
    for name in sorted(os.listdir(sources)) if os.path.isdir(sources) else ():
        if name.endswith('.py') and name != '__init__.py':
            doc = documentation(os.path.join(sources, name))
            if doc is None or str(doc.get('version_added')) == version:
                found.setdefault('event_source', set()).add(name[:-3])
    roles = os.path.join(root, 'roles')
    for name in sorted(os.listdir(roles)) if os.path.isdir(roles) else ():
        spec_file = os.path.join(roles, name, 'meta', 'argument_specs.yml')
        if os.path.exists(spec_file):
            with open(spec_file, encoding='utf-8') as handle:
                specs = yaml.safe_load(handle)['argument_specs']
            if str(specs.get('main', {}).get('version_added')) == version:
                found.setdefault('role', set()).add(name)
    return found


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    source = os.path.abspath(argv[1])
    with open(os.path.join(source, 'galaxy.yml'), encoding='utf-8') as handle:
        galaxy = yaml.safe_load(handle)
    namespace, name, version = galaxy['namespace'], galaxy['name'], str(galaxy['version'])
    expected = added_in(source, version)

    problems = []
    with tempfile.TemporaryDirectory(prefix='jobscope-release-') as scratch:
        copy = os.path.join(scratch, 'ansible_collections', namespace, name)
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns('.git', 'tests', '.*cache*', '__pycache__'))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=scratch)
        with open(os.path.join(copy, 'changelogs', 'changelog.yaml'), encoding='utf-8') as handle:
            first_release = not (yaml.safe_load(handle) or {}).get('releases')
        command = ['antsibull-changelog', 'release', '--version', version, '--date', '2026-12-01']
        print('+ (in a scratch copy) %s' % ' '.join(command))
        done = subprocess.run(command, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        print(done.stdout.decode('utf-8', 'replace'), end='')
        if done.returncode:
            print('check_release_notes: antsibull-changelog release failed (%d)' % done.returncode)
            return 1
        with open(os.path.join(copy, 'changelogs', 'changelog.yaml'), encoding='utf-8') as handle:
            release = yaml.safe_load(handle)['releases'][version]
        with open(os.path.join(copy, 'CHANGELOG.rst'), encoding='utf-8') as handle:
            rst = handle.read()
    print(rst)

    changes = release.get('changes') or {}
    listed = {'module': {entry['name'] for entry in release.get('modules') or []}}
    for kind, entries in (release.get('plugins') or {}).items():
        listed[kind] = {entry['name'] for entry in entries}
    for kind, entries in (release.get('objects') or {}).items():
        listed[kind] = {entry['name'] for entry in entries}

    for kind, names in sorted(expected.items()):
        if kind == 'event_source':
            # antsibull-changelog has no event source type: a fragment must name each one in the notes.
            text = rst.split('\nv%s\n' % version, 1)[-1]
            missing = sorted(n for n in names if '%s.%s.%s' % (namespace, name, n) not in text)
        elif kind == 'action':
            continue  # listed with the module of the same name
        else:
            missing = sorted(names - listed.get(kind, set()))
        for item in missing:
            problems.append('%s %s.%s.%s (version_added %s) is not listed as new in %s'
                            % (kind, namespace, name, item, version, version))
    if not changes.get('release_summary'):
        problems.append('the release has no release_summary fragment')
    if first_release:
        extra = sorted(set(changes) - {'release_summary', 'trivial', 'known_issues'})
        if extra:
            problems.append('the first release carries %s: fragments for never-released code belong in trivial'
                            % ', '.join(extra))
    counts = ', '.join('%d %s' % (len(names), kind) for kind, names in sorted(expected.items()))
    for problem in problems:
        print('check_release_notes: %s' % problem)
    if problems:
        return 1
    print('check_release_notes: %s lists every plugin as new (%s)' % (version, counts))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
