# nvdimm.sh - the slow tier is an emulated NVDIMM turned into system RAM
# (boot with --topology nvdimm).
t nvdimm_system_ram nvdimm-setup.sh
t topology t_topology
t move_pages t_move_pages
