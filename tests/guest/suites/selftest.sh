# selftest - the testbed's own failure paths, not a test of the kernel.
# tests/testbed/selftest.test boots it and checks that every failure below
# comes back to the host as "not ok".
t passes true
t fails false
t skips sh -c 'echo "deliberate skip"; exit 77'
# KERN_WARNING (4), the level WARN() splats and lockdep reports print at
echo "<4>WARNING: cgtier testbed self-check, injected from user space" >/dev/kmsg
[ "$(cat /proc/cmdline | grep -c cgtier.hang)" = 0 ] || sleep 100000
