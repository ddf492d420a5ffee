# fuzz.sh - sourced by the fuzz-*.test scripts: run one libFuzzer target
# (ASan + UBSan), time-boxed, as TAP.
#   fuzz_run NAME [DICT] -- SEED...
#   1. every kept regression input (tests/fuzz/regression/NAME) runs clean;
#   2. CGTIER_FUZZ_SECONDS (default 20) of fuzzing from the SEED files.
# A crasher is kept in the build tree as tests/fuzz/artifacts/crash-*:
# minimise it (fuzz-NAME -minimize_crash=1 FILE), fix the bug and add the
# input to tests/fuzz/regression/NAME/.  Without clang's libFuzzer the test
# is skipped, or fails with CGTIER_NO_SKIP=1.
src=${CGTIER_SRCDIR:-.}
build=${CGTIER_BUILDDIR:-.}
secs=${CGTIER_FUZZ_SECONDS:-20}

fuzz_run() {
	name=$1
	shift
	dict=
	if [ "$1" != -- ]; then
		dict="-dict=$1"
		shift
	fi
	shift # --
	fz=$build/tests/fuzz/fuzz-$name
	if [ ! -x "$fz" ]; then
		why="fuzz-$name not built: configure found no clang with libFuzzer (apt-get install clang libclang-rt-14-dev)"
		if [ "${CGTIER_NO_SKIP:-0}" = 1 ]; then
			echo "1..1"
			echo "not ok 1 - $why (skips are failures: CGTIER_NO_SKIP=1)"
			exit 1
		fi
		echo "1..0 # SKIP $why"
		exit 0
	fi
	echo "1..2"
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	art=$build/tests/fuzz/artifacts
	mkdir -p "$art" "$tmp/corpus" "$tmp/seeds"
	# libFuzzer stops at the first file it cannot read, so copy the seeds
	n=0
	for f in "$@"; do
		n=$((n + 1))
		[ -f "$f" ] && cp "$f" "$tmp/seeds/$n-$(basename "$f")"
	done
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	if "$fz" -artifact_prefix="$art/" "$src"/tests/fuzz/regression/"$name"/* >"$tmp/reg.log" 2>&1; then
		echo "ok 1 - regression inputs run clean"
	else
		sed 's/^/# /' "$tmp/reg.log" | tail -40
		echo "not ok 1 - regression inputs run clean"
		failed=1
	fi
	# shellcheck disable=SC2086
	if nice "$fz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		$dict -artifact_prefix="$art/" -print_final_stats=1 \
		"$tmp/corpus" "$tmp/seeds" >"$tmp/fuzz.log" 2>&1; then
		grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$tmp/fuzz.log" | sed 's/^/# /'
		echo "ok 2 - ${secs} s of fuzzing found nothing"
	else
		sed 's/^/# /' "$tmp/fuzz.log" | tail -60
		ls "$art" | sed 's/^/# artifact: /'
		echo "not ok 2 - ${secs} s of fuzzing found nothing (artifacts in $art)"
		failed=1
	fi
	exit ${failed:-0}
}
