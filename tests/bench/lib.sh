# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the benchmark scripts (list.sh, mounts.sh): messages and exits
# (they expect $prog), medians and arithmetic. Source it.

bad_usage() {
	echo "$prog: $*" >&2
	echo "Try '$prog --help'." >&2
	exit 2
}

die() {
	echo "$prog: $*" >&2
	exit 1
}

skip() {
	echo "$prog: SKIP: $*" >&2
	exit 77
}

median() {
	tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# calc EXPR: floating-point arithmetic, which bash lacks.
calc() {
	awk "BEGIN { printf \"%.2f\", $1 }"
}

verdict() {
	if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi
}

ms() {
	calc "$1 / 1000"
}
