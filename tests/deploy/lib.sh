# lib.sh - sourced by the tests/deploy/*.test scripts: TAP helpers.
# A test whose tools are missing is skipped with the reason, or fails with
# CGTIER_NO_SKIP=1 (CI).
src=${CGTIER_SRCDIR:-.}
build=${CGTIER_BUILDDIR:-.}
n=0
failed=0

# ok STATUS DESCRIPTION [FILE...]: one TAP line; the files as diagnostics
# when STATUS is not 0
ok() {
	n=$((n + 1))
	st=$1
	what=$2
	shift 2
	if [ "$st" = 0 ]; then
		echo "ok $n - $what"
		return 0
	fi
	echo "not ok $n - $what"
	failed=1
	for f in "$@"; do
		[ -s "$f" ] && tail -n 40 "$f" | sed 's/^/# /'
	done
	return 1
}

# skip_all WHY: the whole test, before any ok
skip_all() {
	if [ "${CGTIER_NO_SKIP:-0}" = 1 ]; then
		echo "1..1"
		echo "not ok 1 - $1 (skips are failures: CGTIER_NO_SKIP=1)"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

# need CMD PACKAGE: skip the test unless CMD is there
need() {
	command -v "$1" >/dev/null 2>&1 || skip_all "$1 not found (apt-get install $2)"
}

# done_testing: the plan, and the exit status the harness reads
done_testing() {
	echo "1..$n"
	exit $failed
}

# A make of our own: not the harness's jobserver or its -j.
unset MAKEFLAGS MFLAGS MAKELEVEL GNUMAKEFLAGS
