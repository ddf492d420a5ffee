// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-match.c - first-match policy selection over globs and Kubernetes identities. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtierd/match.h"
#include "unit.h"

#define UID_U "0b9f4c2e_5d6a_4e1b_9a7c_3f2d1e0c9b8a"
#define UID_D "0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8a"
#define UID2 "7c1e0b2a-3d4f-4a5b-8c6d-9e0f1a2b3c4d"
#define CID "3f5a9c1b2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
#define CID2 "9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa998877665544"
#define POD_B "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U ".slice"

static const char cfg_yaml[] =
	"policies:\n"
	"  - name: by-container\n"
	"    match: {kubernetes: {container_id: 'containerd://9d8c7b6a5f4e'}}\n"
	"  - name: pod-level\n"
	"    match: {kubernetes: {pod_uid: " UID_D ", level: pod}}\n"
	"  - name: by-pod\n"
	"    match: {kubernetes: {pod_uid: [" UID2 ", " UID_D "]}}\n"
	"  - name: guaranteed\n"
	"    match: {kubernetes: {qos: guaranteed}}\n"
	"  - name: both\n"
	"    match:\n"
	"      cgroups: 'kind.slice/**'\n"
	"      kubernetes: {qos: besteffort}\n"
	"  - name: services\n"
	"    match: {cgroups: ['system.slice/*.service', 'kubepods/**']}\n"
	"  - name: first-wins-never\n"
	"    match: {cgroups: system.slice/nginx.service}\n";

static struct cgt_config *load(void)
{
	struct cgt_config *c = cgt_config_new();
	struct cgt_diag d;

	assert_non_null(c);
	cgt_diag_init(&d);
	if (cgt_config_parse(c, "m.yaml", cfg_yaml, strlen(cfg_yaml), true, &d) != 0) {
		print_message("# %s\n", d.n ? d.msg[0] : "?");
		fail();
	}
	cgt_diag_clear(&d);
	return c;
}

static const char *which(const struct cgt_config *c, const char *path)
{
	char rel[4096];
	struct cgt_k8s_id id;
	const struct cgt_policy *p;

	assert_int_equal(cgt_cgroup_relpath(path, c->global.cgroup_root, rel, sizeof(rel)), 0);
	assert_int_equal(cgt_k8s_parse(rel, &id), 0);
	p = cgt_config_match(c, rel, &id);
	return p ? p->name : "none";
}

static void test_first_match(void **state)
{
	static const struct {
		const char *path, *want;
	} t[] = {
		/* container id prefix beats the pod UID (earlier in the file) */
		{ "/" POD_B "/cri-containerd-" CID2 ".scope", "by-container" },
		{ "/" POD_B "/cri-containerd-" CID ".scope", "by-pod" },
		/* the pod cgroup itself: only a level: pod selector */
		{ "/" POD_B, "pod-level" },
		/* crun's child cgroup is the same container */
		{ "/" POD_B "/crio-" CID ".scope/container", "by-pod" },
		/* conmon is never a container */
		{ "/" POD_B "/crio-conmon-" CID ".scope", "none" },
		{ "/kubepods.slice/kubepods-pod" UID2 ".slice/docker-" CID ".scope", "by-pod" },
		{ "/kubepods.slice/kubepods-podaaaaaaaa_bbbb_cccc_dddd_eeeeeeeeeeee.slice/docker-" CID
		  ".scope", "guaranteed" },
		/* QoS slices are not containers */
		{ "/kubepods.slice/kubepods-burstable.slice", "none" },
		/* cgroups AND kubernetes */
		{ "/kind.slice/kubepods/besteffort/podaaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/" CID, "both" },
		{ "/other.slice/kubepods/besteffort/podaaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/" CID, "none" },
		{ "/kind.slice/kubepods/burstable/podaaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/" CID, "none" },
		/* globs: relative paths, pasted forms normalised */
		{ "system.slice/nginx.service", "services" },
		{ "/sys/fs/cgroup/system.slice/nginx.service", "services" },
		{ "0::/system.slice/nginx.service", "services" },
		{ "/system.slice/nginx.service/", "services" },
		{ "/system.slice/nginx.service/child", "none" },
		{ "/kubepods/burstable", "services" },
		{ "/", "none" },
	};
	struct cgt_config *c = load();
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *got = which(c, t[i].path);

		if (strcmp(got, t[i].want) != 0)
			fail_msg("%s: %s, want %s", t[i].path, got, t[i].want);
	}
	assert_null(cgt_config_match(c, NULL, NULL));
	cgt_config_free(c);
}

static void test_relpath(void **state)
{
	char buf[16];

	assert_int_equal(cgt_cgroup_relpath("/mnt/cg/a/b", "/mnt/cg/", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a/b");
	assert_int_equal(cgt_cgroup_relpath("/mnt/cgx/a", "/mnt/cg", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "mnt/cgx/a");
	assert_int_equal(cgt_cgroup_relpath("/mnt/cg", "/mnt/cg", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(cgt_cgroup_relpath("0::/", "/", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(cgt_cgroup_relpath("/a/very/long/path/indeed", NULL, buf, sizeof(buf)),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_match),
		cmocka_unit_test(test_relpath),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
