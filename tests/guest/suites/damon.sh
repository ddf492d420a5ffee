# damon - DAMON-based tiering in the guest: a paddr kdamond whose memcg-
# filtered scheme moves an idle buffer to the slow node (migrate_cold) and
# its hot part back (migrate_hot).  Run by `cgtier-testbed run damon`.
t damon_migrate_cold_hot t_damon
