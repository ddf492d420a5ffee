# topology - only the tier check; the testbed self-test runs it on the flat
# topology (no HMAT), where it must fail.
t topology t_topology
