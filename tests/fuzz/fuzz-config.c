// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-config.c - libFuzzer target for the cgtierd.yaml loader: the input
 * is parsed as the main file and as a drop-in, the config is checked and
 * every policy is matched against a few cgroup paths; the input is also fed
 * to the Kubernetes path parser and the glob matcher.
 *
 * Build: configure finds clang (see Makefile.am); run by tests/fuzz/fuzz-config.test.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgtierd/conf.h"
#include "cgtierd/glob.h"
#include "cgtierd/k8s.h"
#include "cgtierd/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b9f4c2e_5d6a_4e1b_9a7c_3f2d1e0c9b8a.slice/cri-containerd-3f5a9c1b2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8.scope",
	"kubepods/pod0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8a/crio-conmon-3f5a9c1b2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8",
	"system.slice/nginx.service",
	"",
};

static void load(const uint8_t *data, size_t size, bool is_main)
{
	struct cgt_config *c = cgt_config_new();
	struct cgt_diag d;
	size_t i;

	if (!c)
		return;
	cgt_diag_init(&d);
	if (cgt_config_parse(c, "fuzz.yaml", (const char *)data, size, is_main, &d) == 0 &&
	    cgt_config_finish(c, &d) == 0) {
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			struct cgt_k8s_id id;

			cgt_k8s_parse(paths[i], &id);
			(void)cgt_config_match(c, paths[i], &id);
		}
	}
	cgt_diag_clear(&d);
	cgt_config_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *nl;

	load(data, size, true);
	load(data, size, false);
	if (size > 8192)
		return 0;
	/* the input as a cgroup path; "GLOB\nPATH" for the glob matcher */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	{
		struct cgt_k8s_id id;

		cgt_k8s_parse(s, &id);
	}
	nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		if (cgt_glob_check(s, NULL) == 0)
			(void)cgt_glob_match(s, nl + 1);
	}
	free(s);
	return 0;
}
