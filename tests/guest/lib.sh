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

# ksft NAME PROGRAM [ARG...]: run a kselftest program, one TAP result per
# test case ("NAME: case"); a program that skips as a whole is one skip.
ksft() {
	_name=$1
	shift
	_out=/tmp/ksft.out
	"$@" >"$_out" 2>&1
	_rc=$?
	awk -v name="$_name" -v rc="$_rc" '
		/^ok [0-9]+ / { sub(/^ok [0-9]+ /, ""); print "ok - " name ": " $0; n++; next }
		/^not ok [0-9]+ / { sub(/^not ok [0-9]+ /, ""); print "not ok - " name ": " $0; n++; bad++; next }
		/^1\.\.0 # SKIP/ { skip = $0; sub(/^1\.\.0 # SKIP */, "", skip); next }
		{ print "# " $0 }
		END {
			if (rc == 4 && n == 0) print "ok - " name " # SKIP " skip
			else if (rc != 0 && bad == 0) print "not ok - " name " (exit status " rc ")"
			else if (n == 0) print "not ok - " name " ran no test case"
		}' "$_out"
}

# mkcg PATH: create cgroup PATH below /sys/fs/cgroup and its parents, with
# the memory controller enabled down to it (as kubelet and systemd do)
mkcg() {
	_p=
	for _c in $(echo "$1" | tr / ' '); do
		[ -z "$_p" ] || echo +memory >"/sys/fs/cgroup/$_p/cgroup.subtree_control"
		_p=${_p:+$_p/}$_c
		mkdir -p "/sys/fs/cgroup/$_p"
	done
}

# fast_tier: the key of the memory tier holding node 0 (the CPUs' node), as
# the memory.tier.* files name it, e.g. "tier4"
fast_tier() {
	_t=$(grep -l '^0$' /sys/devices/virtual/memory_tiering/memory_tier*/nodelist | head -n 1)
	_t=${_t%/nodelist}
	echo "tier${_t##*/memory_tier}"
}
