# upstream - the upstream tiering baseline in the guest: NUMA-balancing
# promotion and reclaim demotion.  Run by `cgtier-testbed run upstream`.
t promote t_promote
