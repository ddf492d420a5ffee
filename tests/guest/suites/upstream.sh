# upstream - the upstream tiering baseline in the guest: NUMA-balancing
# promotion of hot pages and demotion of cold ones by reclaim.  Run by
# `cgtier-testbed run upstream`.
t promote t_promote
t demote t_demote
