// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-k8s.c - Kubernetes identity from kubelet's cgroup paths: systemd and
 * cgroupfs drivers; containerd, CRI-O (with conmon and crun's child) and
 * docker; kind-style nesting; what cannot be told.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtierd/k8s.h"
#include "unit.h"

#define UID_D "0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8a" /* as the API shows it */
#define UID_U "0b9f4c2e_5d6a_4e1b_9a7c_3f2d1e0c9b8a" /* as the systemd driver writes it */
#define STATIC_UID "e0ad2fd9a6ff1a0c1b0d0a4d1d6d9e1b"  /* a static pod's hash */
#define CID "3f5a9c1b2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
#define SID "9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa998877665544"

struct row {
	const char *path;
	enum cgt_k8s_kind kind;
	enum cgt_k8s_driver driver;
	enum cgt_k8s_qos qos;
	const char *uid;
	const char *cid;
	enum cgt_k8s_runtime runtime;
	enum cgt_k8s_infra infra;
	const char *prefix; /* before the kubepods root, or "" */
	const char *sub;    /* below the container's cgroup, or "" */
};

#define SD CGT_K8S_DRIVER_SYSTEMD
#define FS CGT_K8S_DRIVER_CGROUPFS
#define G CGT_K8S_QOS_GUARANTEED
#define B CGT_K8S_QOS_BURSTABLE
#define BE CGT_K8S_QOS_BESTEFFORT
#define RC CGT_K8S_RUNTIME_CONTAINERD
#define RO CGT_K8S_RUNTIME_CRIO
#define RD CGT_K8S_RUNTIME_DOCKER
#define RU CGT_K8S_RUNTIME_UNKNOWN
#define IN CGT_K8S_INFRA_NO
#define IY CGT_K8S_INFRA_YES
#define IU CGT_K8S_INFRA_UNKNOWN

static const struct row rows[] = {
	/* systemd driver, the three runtimes and three QoS classes */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
	  ".slice/cri-containerd-" CID ".scope",
	  CGT_K8S_CONTAINER, SD, B, UID_D, CID, RC, IU, "", "" },
	{ "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_U
	  ".slice/crio-" CID ".scope",
	  CGT_K8S_CONTAINER, SD, BE, UID_D, CID, RO, IU, "", "" },
	{ "/kubepods.slice/kubepods-pod" UID_U ".slice/docker-" CID ".scope",
	  CGT_K8S_CONTAINER, SD, G, UID_D, CID, RD, IU, "", "" },
	/* CRI-O: conmon is pod infrastructure; crun's "container" child is the container */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
	  ".slice/crio-conmon-" CID ".scope",
	  CGT_K8S_CONMON, SD, B, UID_D, CID, RO, IY, "", "" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
	  ".slice/crio-" CID ".scope/container",
	  CGT_K8S_CONTAINER, SD, B, UID_D, CID, RO, IU, "", "container" },
	/* a containerd sandbox (pause) looks like any container: infra unknown */
	{ "/kubepods.slice/kubepods-pod" UID_U ".slice/cri-containerd-" SID ".scope",
	  CGT_K8S_CONTAINER, SD, G, UID_D, SID, RC, IU, "", "" },
	/* the levels above a container */
	{ "/kubepods.slice", CGT_K8S_ROOT, SD, CGT_K8S_QOS_UNKNOWN, "", "", RU, IN, "", "" },
	{ "/kubepods.slice/kubepods-burstable.slice", CGT_K8S_QOS, SD, B, "", "", RU, IN, "", "" },
	{ "/kubepods.slice/kubepods-besteffort.slice/", CGT_K8S_QOS, SD, BE, "", "", RU, IN, "",
	  "" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U ".slice",
	  CGT_K8S_POD, SD, B, UID_D, "", RU, IN, "", "" },
	{ "/kubepods.slice/kubepods-pod" STATIC_UID ".slice", CGT_K8S_POD, SD, G, STATIC_UID, "",
	  RU, IN, "", "" },
	/* something in a pod that is not a container scope */
	{ "/kubepods.slice/kubepods-pod" UID_U ".slice/other.scope", CGT_K8S_POD_OTHER, SD, G,
	  UID_D, "", RU, IN, "", "" },
	{ "/kubepods.slice/kubepods-pod" UID_U ".slice/cri-containerd-1234.scope",
	  CGT_K8S_POD_OTHER, SD, G, UID_D, "", RU, IN, "", "" },
	/* cgroupfs driver */
	{ "/kubepods/burstable/pod" UID_D "/" CID, CGT_K8S_CONTAINER, FS, B, UID_D, CID, RU, IU, "",
	  "" },
	{ "/kubepods/besteffort/pod" UID_D "/crio-" CID, CGT_K8S_CONTAINER, FS, BE, UID_D, CID, RO,
	  IU, "", "" },
	{ "/kubepods/besteffort/pod" UID_D "/crio-conmon-" CID, CGT_K8S_CONMON, FS, BE, UID_D, CID,
	  RO, IY, "", "" },
	{ "/kubepods/pod" UID_D "/" CID, CGT_K8S_CONTAINER, FS, G, UID_D, CID, RU, IU, "", "" },
	{ "/kubepods/pod" UID_D, CGT_K8S_POD, FS, G, UID_D, "", RU, IN, "", "" },
	{ "/kubepods/burstable", CGT_K8S_QOS, FS, B, "", "", RU, IN, "", "" },
	{ "/kubepods", CGT_K8S_ROOT, FS, CGT_K8S_QOS_UNKNOWN, "", "", RU, IN, "", "" },
	/* kind: kubelet inside a node container, systemd driver with a cgroup root */
	{ "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
	  "kubelet-kubepods-besteffort-pod" UID_U ".slice/cri-containerd-" CID ".scope",
	  CGT_K8S_CONTAINER, SD, BE, UID_D, CID, RC, IU, "kubelet.slice", "" },
	{ "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-pod" UID_U
	  ".slice/cri-containerd-" CID ".scope",
	  CGT_K8S_CONTAINER, SD, G, UID_D, CID, RC, IU, "kubelet.slice", "" },
	/* the same seen from the host: the node container's scope first */
	{ "/system.slice/docker-" SID ".scope/kubelet.slice/kubelet-kubepods.slice/"
	  "kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod" UID_U
	  ".slice/cri-containerd-" CID ".scope",
	  CGT_K8S_CONTAINER, SD, B, UID_D, CID, RC, IU,
	  "system.slice/docker-" SID ".scope/kubelet.slice", "" },
	/* cgroupfs inside docker */
	{ "/docker/" SID "/kubepods/burstable/pod" UID_D "/" CID, CGT_K8S_CONTAINER, FS, B, UID_D,
	  CID, RU, IU, "docker/" SID, "" },
	/* Kubernetes in a Kubernetes pod: the innermost wins */
	{ "/kubepods.slice/kubepods-pod" UID_U ".slice/cri-containerd-" SID
	  ".scope/kubepods/besteffort/pod" STATIC_UID "/" CID,
	  CGT_K8S_CONTAINER, FS, BE, STATIC_UID, CID, RU, IU,
	  "kubepods.slice/kubepods-pod" UID_U ".slice/cri-containerd-" SID ".scope", "" },
	/* an inner "kubepods" that does not parse leaves the outer identity */
	{ "/kubepods.slice/kubepods-pod" UID_U ".slice/cri-containerd-" CID ".scope/kubepods.slice/x",
	  CGT_K8S_CONTAINER, SD, G, UID_D, CID, RC, IU, "", "kubepods.slice/x" },
	/* not Kubernetes */
	{ "/", CGT_K8S_NONE, CGT_K8S_DRIVER_NONE, CGT_K8S_QOS_UNKNOWN, "", "", RU, IN, "", "" },
	{ "", CGT_K8S_NONE, CGT_K8S_DRIVER_NONE, CGT_K8S_QOS_UNKNOWN, "", "", RU, IN, "", "" },
	{ "/system.slice/docker-" CID ".scope", CGT_K8S_NONE, CGT_K8S_DRIVER_NONE,
	  CGT_K8S_QOS_UNKNOWN, "", "", RU, IN, "", "" },
	{ "/mykubepods.slice/x", CGT_K8S_NONE, CGT_K8S_DRIVER_NONE, CGT_K8S_QOS_UNKNOWN, "", "", RU,
	  IN, "", "" },
	{ "/kubepods.slice/kubepods-gold.slice", CGT_K8S_NONE, CGT_K8S_DRIVER_NONE,
	  CGT_K8S_QOS_UNKNOWN, "", "", RU, IN, "", "" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-besteffort-pod" UID_U ".slice",
	  CGT_K8S_NONE, CGT_K8S_DRIVER_NONE, CGT_K8S_QOS_UNKNOWN, "", "", RU, IN, "", "" },
	{ "/kubepods.slice/kubepods-podnot-a-uid.slice", CGT_K8S_NONE, CGT_K8S_DRIVER_NONE,
	  CGT_K8S_QOS_UNKNOWN, "", "", RU, IN, "", "" },
	{ "/kubepods/guaranteed/pod" UID_D, CGT_K8S_NONE, CGT_K8S_DRIVER_NONE, CGT_K8S_QOS_UNKNOWN,
	  "", "", RU, IN, "", "" },
};

static void test_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *t = &rows[i];
		struct cgt_k8s_id id;
		const char *p = t->path;
		size_t skip = 0;

		assert_int_equal(cgt_k8s_parse(p, &id), 0);
		if (id.kind != t->kind)
			fail_msg("row %zu %s: kind %s, want %s", i, p, cgt_k8s_kind_name(id.kind),
				 cgt_k8s_kind_name(t->kind));
		assert_int_equal(id.driver, t->driver);
		assert_int_equal(id.qos, t->qos);
		assert_string_equal(id.pod_uid, t->uid);
		assert_string_equal(id.container_id, t->cid);
		assert_int_equal(id.runtime, t->runtime);
		assert_int_equal(id.infra, t->infra);
		/* the prefix is path[0 .. prefix_len), less the slashes around it */
		while (p[skip] == '/')
			skip++;
		if (t->prefix[0]) {
			assert_true(id.prefix_len > skip + 1);
			assert_int_equal(id.prefix_len - skip - 1, strlen(t->prefix));
			assert_memory_equal(p + skip, t->prefix, strlen(t->prefix));
		} else if (id.kind != CGT_K8S_NONE) {
			assert_int_equal(id.prefix_len, skip);
		}
		if (t->sub[0])
			assert_string_equal(p + id.sub_off, t->sub);
		else
			assert_int_equal(id.sub_off, 0);
	}
}

static void test_uid(void **state)
{
	char buf[CGT_K8S_UID_MAX + 1];

	assert_int_equal(cgt_k8s_normalize_uid(UID_U, strlen(UID_U), buf), 0);
	assert_string_equal(buf, UID_D);
	assert_int_equal(cgt_k8s_normalize_uid("0B9F4C2E-5D6A-4E1B-9A7C-3F2D1E0C9B8A", 36, buf), 0);
	assert_string_equal(buf, UID_D);
	assert_int_equal(cgt_k8s_normalize_uid(STATIC_UID, 32, buf), 0);
	assert_string_equal(buf, STATIC_UID);
	assert_int_equal(cgt_k8s_normalize_uid("0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8", 35, buf), -EINVAL);
	assert_int_equal(cgt_k8s_normalize_uid("0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8g", 36, buf), -EINVAL);
	assert_int_equal(cgt_k8s_normalize_uid("0b9f4c2e5-d6a-4e1b-9a7c-3f2d1e0c9b8a", 36, buf), -EINVAL);
	assert_int_equal(cgt_k8s_normalize_uid("", 0, buf), -EINVAL);
}

static void test_names_and_errors(void **state)
{
	struct cgt_k8s_id id;
	char *deep;
	size_t i;

	assert_int_equal(cgt_k8s_parse(NULL, &id), -EINVAL);
	assert_int_equal(cgt_k8s_parse("/", NULL), -EINVAL);
	assert_int_equal(cgt_k8s_qos_from_name("burstable"), CGT_K8S_QOS_BURSTABLE);
	assert_int_equal(cgt_k8s_qos_from_name("unknown"), -EINVAL);
	assert_int_equal(cgt_k8s_qos_from_name("Guaranteed"), -EINVAL);
	assert_string_equal(cgt_k8s_runtime_name(CGT_K8S_RUNTIME_CRIO), "crio");
	assert_string_equal(cgt_k8s_driver_name(CGT_K8S_DRIVER_CGROUPFS), "cgroupfs");
	assert_string_equal(cgt_k8s_kind_name(CGT_K8S_CONMON), "conmon");
	assert_string_equal(cgt_k8s_qos_name(CGT_K8S_QOS_BESTEFFORT), "besteffort");
	assert_string_equal(cgt_k8s_kind_name(_CGT_K8S_KIND_MAX), "invalid");
	/* deeper than the parser looks: not Kubernetes, and no crash */
	deep = malloc(2 * 300 + 32);
	assert_non_null(deep);
	strcpy(deep, "kubepods");
	for (i = 0; i < 300; i++)
		strcat(deep, "/a");
	assert_int_equal(cgt_k8s_parse(deep, &id), 0);
	assert_int_equal(id.kind, CGT_K8S_NONE);
	free(deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_names_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
