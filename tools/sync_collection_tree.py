# Copyright: jobscope.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mirror the collection's files into DEST (a copy, never a symlink).

ansible-test only works on a collection that lives at ``.../ansible_collections/NS/NAME/``.
The file set is what git would see: tracked files that still exist plus untracked files that are
not ignored (``git ls-files --cached --others --exclude-standard``), so a new file counts before
it is committed, a deleted one does not, and nothing ignored (.venv, .build, caches) is copied.
Files that changed are re-copied, stale files are removed; ``tests/output`` (ansible-test's own
results) is kept.

DEST gets an empty git repository of its own (no commits): ansible-test lists a collection's
files with ``git ls-files`` of the nearest enclosing repository, and without one in DEST that
would be the source repository, where DEST (under the git-ignored .build/) shows no files at all.
With its own, ansible-test sees exactly the copied files (as untracked, not ignored ones).

Usage: sync_collection_tree.py SOURCE_ROOT DEST
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

KEEP = ('.git', 'tests/output')


def source_files(root: str) -> set:
    out = subprocess.run(
        ['git', '-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
        check=True, stdout=subprocess.PIPE,
    ).stdout.decode('utf-8', 'surrogateescape')
    files = set()
    for rel in out.split('\0'):
        if rel and os.path.lexists(os.path.join(root, rel)) and not os.path.isdir(os.path.join(root, rel)):
            files.add(rel)
    return files


def same(src: str, dst: str) -> bool:
    if os.path.islink(src) or os.path.islink(dst):
        return os.path.islink(src) and os.path.islink(dst) and os.readlink(src) == os.readlink(dst)
    if not os.path.isfile(dst):
        return False
    s, d = os.stat(src), os.stat(dst)
    return s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime) and s.st_mode == d.st_mode


def kept(rel: str) -> bool:
    return any(rel == k or rel.startswith(k + '/') for k in KEEP)


def main(root: str, dest: str) -> int:
    root = os.path.abspath(root)
    dest = os.path.abspath(dest)
    files = source_files(root)
    copied = removed = 0

    for rel in sorted(files):
        src, dst = os.path.join(root, rel), os.path.join(dest, rel)
        if same(src, dst):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.lexists(dst) or os.path.isdir(dst):
            if os.path.isdir(dst) and not os.path.islink(dst):
                shutil.rmtree(dst)
            else:
                os.unlink(dst)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)
        copied += 1

    for dirpath, dirnames, filenames in os.walk(dest, topdown=False):
        reldir = os.path.relpath(dirpath, dest)
        reldir = '' if reldir == '.' else reldir
        if kept(reldir):
            continue
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            rel = os.path.join(reldir, name)
            if rel not in files and not kept(rel):
                os.unlink(os.path.join(dirpath, name))
                removed += 1
        if reldir and not os.listdir(dirpath):
            os.rmdir(dirpath)

    if not os.path.isdir(os.path.join(dest, '.git')):
        subprocess.run(['git', 'init', '-q', dest], check=True)

    print('collection tree %s: %d file(s), %d copied, %d removed' % (dest, len(files), copied, removed))
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
