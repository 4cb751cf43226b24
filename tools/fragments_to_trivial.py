# Copyright: jobscope.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn changelog fragments into `trivial` ones: for the first release, whose notes are its summary and the
new plugins, the development history of code never released before stays in changelog.yaml, unprinted.

Usage: fragments_to_trivial.py FRAGMENT...   (fragments with a release_summary are left alone)
"""

from __future__ import annotations

import sys

import yaml


def main(paths):
    for path in paths:
        with open(path, encoding='utf-8') as handle:
            fragment = yaml.safe_load(handle) or {}
        if 'release_summary' in fragment or set(fragment) <= {'trivial'}:
            continue
        entries = []
        for section, value in fragment.items():
            entries.extend(value if isinstance(value, list) else [value])
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write('---\n# Development history of code first released in 1.0.0 (was: %s).\n' % ', '.join(fragment))
            yaml.safe_dump({'trivial': entries}, handle, width=120, allow_unicode=True, sort_keys=False)
        print('%s: %s -> trivial' % (path, ', '.join(fragment)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
