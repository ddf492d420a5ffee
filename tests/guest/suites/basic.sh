# basic - the testbed itself: tiers, page migration, idle page tracking and
# per-node memcg accounting.  Run by `cgtier-testbed run basic`.
t topology t_topology
t move_pages t_move_pages
t page_idle t_page_idle
t memcg_numa_stat t_memcg_numa
t workload_hit_ratio t_workload.sh
