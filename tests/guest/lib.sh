# lib.sh - sourced by the guest's /init before a suite runs.
#
# A suite (tests/guest/suites/NAME.sh) is a list of `t NAME COMMAND...` lines.
# Each command is one TAP test: exit 0 = ok, 77 = skip (its last output line
# is the reason), anything else = not ok.  Its output becomes TAP diagnostics.
# The host numbers the results and adds the plan.

# t NAME COMMAND [ARG...]
t() {
	_name=$1
	shift
	_out=/tmp/t.out
	"$@" >"$_out" 2>&1
	_rc=$?
	sed 's/^/# /' "$_out"
	case $_rc in
	0) echo "ok - $_name" ;;
	77) echo "ok - $_name # SKIP $(tail -n 1 "$_out")" ;;
	*) echo "not ok - $_name (exit status $_rc)" ;;
	esac
}

# note TEXT: a diagnostic line in the results
note() {
	echo "# $*"
}
