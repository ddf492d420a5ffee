t nvdimm_system_ram nvdimm-setup.sh
note "$(cat /sys/devices/system/node/has_memory) tiers: $(ls /sys/devices/virtual/memory_tiering/)"
for f in /sys/devices/virtual/memory_tiering/memory_tier*/nodelist; do note "$f: $(cat $f)"; done
note "$(cat /sys/devices/system/memory/memory*/state | sort | uniq -c)"
