# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the benchmark scripts (list.sh, mounts.sh, rss.sh): options,
# messages and exits (they expect $prog and usage()), medians and
# arithmetic. Source it.

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

is_uint() {
	[[ $1 =~ ^[0-9]+$ ]]
}

# parse_options "NAME..." ARG...: --NAME VALUE and --NAME=VALUE set the
# variable NAME, for each NAME given; -h/--help prints usage() and exits 0;
# anything else is a usage error.
parse_options() {
	local names=" $1 " name
	shift

	while (($#)); do
		case $1 in
		-h | --help)
			usage
			exit 0
			;;
		--*=*)
			name=${1%%=*}
			name=${name#--}
			[[ $names == *" $name "* ]] || bad_usage "unknown option '--$name'"
			declare -g "$name=${1#*=}"
			shift
			;;
		--*)
			name=${1#--}
			[[ $names == *" $name "* ]] || bad_usage "unknown option '$1'"
			(($# >= 2)) || bad_usage "option '$1' needs an argument"
			declare -g "$name=$2"
			shift 2
			;;
		*)
			bad_usage "unknown option '$1'"
			;;
		esac
	done
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
