#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# man-symbols.sh SYMFILE PAGE: every symbol that the version script SYMFILE
# (lib/libnsdebug.sym) exports is documented in PAGE (man/libnsdebug.3.scd)
# as an item, and every function the page documents as an item is exported.
# An item is a line of its own naming one or more functions, such as
# "*nsd_graph_new*()" or "*nsd_mounts_ref*(), *nsd_mounts_unref*()"; a
# mention in a sentence or in the SYNOPSIS does not count.
set -euo pipefail
export LC_ALL=C
sym=$1
page=$2
status=0

for f in "$sym" "$page"; do
	if [ ! -r "$f" ]; then
		echo "FAIL: cannot read $f" >&2
		exit 1
	fi
done

# The names in the "global:" lists of the version script, sorted.
exported() {
	grep -oE '^[[:space:]]+[A-Za-z_][A-Za-z0-9_]*;' "$sym" | tr -d ' \t;' | sort -u
}

# The functions the page documents as items, sorted.
documented() {
	{ grep -E '^\*[A-Za-z_][A-Za-z0-9_]*\*\(\)(, \*[A-Za-z_][A-Za-z0-9_]*\*\(\))*$' "$page" || true; } |
		grep -oE '\*[A-Za-z_][A-Za-z0-9_]*\*' | tr -d '*' | sort -u
}

if [ -z "$(exported)" ]; then
	echo "FAIL: no symbols found in $sym" >&2
	exit 1
fi

while read -r name; do
	echo "FAIL: $name is exported by $sym but not documented in $page" >&2
	status=1
done < <(comm -23 <(exported) <(documented))

while read -r name; do
	echo "FAIL: $name is documented in $page but not exported by $sym" >&2
	status=1
done < <(comm -13 <(exported) <(documented))

exit $status
