/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * k8s.h - who a cgroup belongs to, read from the cgroup path kubelet and the
 * container runtime gave it.  A pure function of the path string.
 *
 * systemd cgroup driver (slice names repeat their parents' names):
 *   kubepods.slice/kubepods-pod<UID>.slice/<scope>                 Guaranteed
 *   kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<UID>.slice/<scope>
 *   kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<UID>.slice/<scope>
 *   <UID> has '_' for '-'; <scope> is cri-containerd-<ID>.scope,
 *   crio-<ID>.scope, crio-conmon-<ID>.scope or docker-<ID>.scope
 * cgroupfs driver:
 *   kubepods/pod<UID>/<ID>, kubepods/{burstable,besteffort}/pod<UID>/<ID>
 *   (CRI-O names them crio-<ID> and crio-conmon-<ID>)
 *
 * Also understood:
 *   - a prefix before the kubepods root: kubelet's --cgroup-root and
 *     kind-style nesting, e.g. kubelet.slice/kubelet-kubepods.slice/
 *     kubelet-kubepods-pod<UID>.slice/... or docker/<ID>/kubepods/...;
 *     when several kubepods roots appear, the innermost one that parses wins;
 *   - cgroups below a container's, such as the "container" child crun
 *     creates under a CRI-O scope: they belong to that container.
 *
 * What a path cannot tell:
 *   - the pod sandbox ("pause") container of containerd, of cri-dockerd and
 *     of CRI-O with an infra container has a scope just like any other
 *     container, so a CONTAINER may be a sandbox (infra = UNKNOWN).  Only
 *     the CRI (ListPodSandbox) knows the sandbox ids.  CRI-O's conmon
 *     scope is recognised and is never a container (infra = YES);
 *   - the runtime under the cgroupfs driver when the leaf is a bare id
 *     (containerd and docker both use <ID>): runtime = UNKNOWN;
 *   - namespace, pod name and container name: they are not in the path.
 */
#ifndef CGTIERD_K8S_H
#define CGTIERD_K8S_H

#include <stddef.h>

enum cgt_k8s_kind {
	CGT_K8S_NONE,      /* not a Kubernetes cgroup */
	CGT_K8S_ROOT,      /* the kubepods root itself */
	CGT_K8S_QOS,       /* a QoS-class slice or directory */
	CGT_K8S_POD,       /* a pod */
	CGT_K8S_CONTAINER, /* a container (or a cgroup below one) */
	CGT_K8S_CONMON,    /* CRI-O's conmon scope: pod infrastructure */
	CGT_K8S_POD_OTHER, /* inside a pod, but not a container we recognise */
	_CGT_K8S_KIND_MAX,
};

enum cgt_k8s_qos {
	CGT_K8S_QOS_UNKNOWN, /* only for CGT_K8S_NONE and CGT_K8S_ROOT */
	CGT_K8S_QOS_GUARANTEED,
	CGT_K8S_QOS_BURSTABLE,
	CGT_K8S_QOS_BESTEFFORT,
	_CGT_K8S_QOS_MAX,
};

enum cgt_k8s_runtime {
	CGT_K8S_RUNTIME_UNKNOWN,
	CGT_K8S_RUNTIME_CONTAINERD,
	CGT_K8S_RUNTIME_CRIO,
	CGT_K8S_RUNTIME_DOCKER,
	_CGT_K8S_RUNTIME_MAX,
};

enum cgt_k8s_driver {
	CGT_K8S_DRIVER_NONE,
	CGT_K8S_DRIVER_SYSTEMD,
	CGT_K8S_DRIVER_CGROUPFS,
	_CGT_K8S_DRIVER_MAX,
};

enum cgt_k8s_infra {
	CGT_K8S_INFRA_NO,      /* not pod infrastructure */
	CGT_K8S_INFRA_YES,     /* conmon */
	CGT_K8S_INFRA_UNKNOWN, /* a container scope: may be the pod sandbox */
};

/* "8-4-4-4-12" hex with dashes, or 32 hex (static pods' UIDs are hashes) */
#define CGT_K8S_UID_MAX 36
/* container ids are 64 hex digits for containerd, CRI-O and docker */
#define CGT_K8S_ID_LEN 64

struct cgt_k8s_id {
	enum cgt_k8s_kind kind;
	enum cgt_k8s_driver driver;
	enum cgt_k8s_qos qos;
	enum cgt_k8s_runtime runtime;
	enum cgt_k8s_infra infra;
	char pod_uid[CGT_K8S_UID_MAX + 1];    /* lower case, dashes; "" if none */
	char container_id[CGT_K8S_ID_LEN + 1]; /* lower-case hex; "" if none */
	size_t prefix_len; /* bytes of the path before the kubepods root */
	size_t sub_off;    /* for a container: offset of the part below its
			      cgroup ("container" for crun), or 0 */
};

/*
 * Parse @path, relative to the cgroup2 mount with or without a leading
 * '/'.  Always fills *@ret (kind CGT_K8S_NONE if nothing is recognised) and
 * returns 0; -EINVAL only for NULL arguments.
 */
int cgt_k8s_parse(const char *path, struct cgt_k8s_id *ret);

/* Names for messages and output; each table matches its enum. */
const char *cgt_k8s_kind_name(enum cgt_k8s_kind k);
const char *cgt_k8s_qos_name(enum cgt_k8s_qos q);
const char *cgt_k8s_runtime_name(enum cgt_k8s_runtime r);
const char *cgt_k8s_driver_name(enum cgt_k8s_driver d);
/* Parse a QoS class name as written in cgtierd.yaml (lower case). -EINVAL. */
int cgt_k8s_qos_from_name(const char *s);

/*
 * Normalise a pod UID as written by an admin or found in a path ('_' or
 * '-' separators, any case) into @buf (CGT_K8S_UID_MAX + 1 bytes).
 * -EINVAL unless it is 8-4-4-4-12 hex or 32 hex.
 */
int cgt_k8s_normalize_uid(const char *s, size_t len, char *buf);

#endif /* CGTIERD_K8S_H */
