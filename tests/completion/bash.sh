#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The bash completion `nono completion bash` writes (issue 20): sourced in
# a plain bash, its function offers the subcommands, each command's
# options, files for --policy, directories for --read, the values of
# --op, and commands for the program of `nono run`.
#   bash.sh COMPLETION_FILE
set -u
# shellcheck disable=SC1090
source "$1" || { echo "not ok: cannot source $1"; exit 1; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/subdir"
: >"$dir/policy.ini"

fails=0
# complete WORD... : runs _nono with the last word as the current one.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_nono
}
# expect WHAT NEEDLE: NEEDLE is one of COMPREPLY.
expect() {
	local w
	for w in "${COMPREPLY[@]}"; do
		[ "$w" = "$2" ] && { echo "ok - $1"; return; }
	done
	echo "not ok - $1: '$2' not in: ${COMPREPLY[*]}"
	fails=$((fails + 1))
}
refuse() {
	local w
	for w in "${COMPREPLY[@]}"; do
		if [ "$w" = "$2" ]; then
			echo "not ok - $1: '$2' offered"
			fails=$((fails + 1))
			return
		fi
	done
	echo "ok - $1"
}

complete_words nono ''
for cmd in run check why wrap state support completion help; do
	expect "subcommand $cmd" "$cmd"
done
complete_words nono run --po
expect "run --policy" --policy
complete_words nono run --policy "$dir/po"
expect "--policy completes files" "$dir/policy.ini"
complete_words nono run --read "$dir/"
expect "--read completes directories" "$dir/subdir"
refuse "--read offers no files" "$dir/policy.ini"
complete_words nono why --op read
expect "--op values" read_write
complete_words nono wrap -
expect "wrap -o" -o
complete_words nono run --policy "$dir/policy.ini" -- bas
expect "the program of nono run is a command" bash
complete_words nono run --block-net bas
expect "the program without --" bash
complete_words nono run --block-net bash "$dir/po"
expect "the program's arguments are files" "$dir/policy.ini"
complete_words nono check "$dir/po"
expect "check takes a policy file" "$dir/policy.ini"
complete_words nono completion ''
expect "completion takes a shell" zsh
complete_words nono help w
expect "help takes a command" why

exit $((fails > 0))
