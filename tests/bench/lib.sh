# SPDX-License-Identifier: LGPL-2.1-or-later
# Arithmetic the benchmark scripts share; source it.

# median "N N N...": the median of the numbers.
median() {
	tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# calc EXPR: floating-point arithmetic, which bash lacks.
calc() {
	awk "BEGIN { printf \"%.2f\", $1 }"
}

# verdict CONDITION: "met" or "MISSED", for a target printed next to a number.
verdict() {
	if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi
}
