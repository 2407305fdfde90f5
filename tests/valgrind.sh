#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The exe_wrapper of the 'valgrind' test setup: runs a test under memcheck,
# following the children, and fails it when any process reported an error
# or a definite or indirect leak.
#
# Criterion runs each test in a fresh process and does not look at how
# that process exits once the test has reported, so valgrind's exit status
# alone would let a leak pass; every process's log is read instead. A
# failing test prints the logs that had errors on stderr.

# Only what this project builds is checked: a system program a test runs
# (sh, nm) is run as it is, and not followed into either.
case "$1" in
/usr/* | /bin/* | /sbin/*) exec "$@" ;;
esac

logs=$(mktemp -d "${TMPDIR:-/tmp}/nono-valgrind-XXXXXX") || exit 1

valgrind --quiet --trace-children=yes \
	--trace-children-skip='/usr/*,/bin/*,/sbin/*' \
	--log-file="$logs/%p.log" \
	--error-exitcode=99 \
	--leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect \
	"$@"
rc=$?

bad=0
for log in "$logs"/*.log; do
	# Errors are "==PID==" lines; "--PID--" lines are valgrind's own
	# warnings (an unknown system call, say).
	grep -q '^==[0-9]*==' "$log" || continue
	bad=1
	echo "valgrind: errors in $(basename "$log" .log):" >&2
	cat "$log" >&2
done
rm -rf "$logs"
if [ $bad -ne 0 ] && [ $rc -eq 0 ]; then
	rc=1
fi
exit $rc
