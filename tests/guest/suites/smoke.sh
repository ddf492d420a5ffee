t hello hello
note "$(ls -la /sys/devices/virtual/memory_tiering/)"
for f in /sys/devices/system/node/has_memory /sys/devices/system/node/has_cpu /sys/devices/virtual/memory_tiering/memory_tier*/nodelist; do note "$f: $(cat $f)"; done
note "$(cat /sys/kernel/mm/transparent_hugepage/enabled) $(cat /proc/sys/kernel/numa_balancing) $(cat /sys/kernel/mm/numa/demotion_enabled)"
note "$(ls /lib/modules/*/)"
note "$(free -m)"
