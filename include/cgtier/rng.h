/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rng.h - a small, fast, seedable PRNG for workloads and tests.
 *
 * xoshiro256** (Blackman & Vigna) seeded through splitmix64, so any 64-bit
 * seed (including 0) gives a well-mixed, non-zero state.  Not for anything
 * security related.  Everything is inline; there is no global state.
 */
#ifndef CGTIER_RNG_H
#define CGTIER_RNG_H

#include <stdint.h>

struct cgt_rng {
	uint64_t s[4];
};

/**
 * cgt_splitmix64() - advance a splitmix64 state and return the next output.
 * @state: the 64-bit state, incremented by the golden-ratio constant.
 *
 * Also a good 64-bit mixing function for deriving independent seeds.
 */
static inline uint64_t cgt_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/**
 * cgt_rng_seed() - initialise @r from a 64-bit @seed.
 * @r: generator to initialise.
 * @seed: any value; equal seeds give equal sequences.
 */
static inline void cgt_rng_seed(struct cgt_rng *r, uint64_t seed)
{
	uint64_t sm = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = cgt_splitmix64(&sm);
}

static inline uint64_t cgt_rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/**
 * cgt_rng_next() - next 64 uniformly distributed bits (xoshiro256**).
 * @r: a seeded generator.
 */
static inline uint64_t cgt_rng_next(struct cgt_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = cgt_rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = cgt_rng_rotl(s[3], 45);
	return result;
}

/**
 * cgt_rng_double() - uniform double in [0, 1) with 53 random bits.
 * @r: a seeded generator.
 */
static inline double cgt_rng_double(struct cgt_rng *r)
{
	return (double)(cgt_rng_next(r) >> 11) * 0x1.0p-53;
}

/**
 * cgt_rng_below() - uniform integer in [0, @bound), without modulo bias.
 * @r: a seeded generator.
 * @bound: exclusive upper bound; 0 returns 0.
 */
static inline uint64_t cgt_rng_below(struct cgt_rng *r, uint64_t bound)
{
#ifdef __SIZEOF_INT128__
	/* Lemire's multiply-and-reject: a division only on the rare slow path. */
	unsigned __int128 m;
	uint64_t low;

	if (bound == 0)
		return 0;
	m = (unsigned __int128)cgt_rng_next(r) * bound;
	low = (uint64_t)m;
	if (low < bound) {
		uint64_t threshold = (0 - bound) % bound;

		while (low < threshold) {
			m = (unsigned __int128)cgt_rng_next(r) * bound;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
#else
	uint64_t x, limit;

	if (bound == 0)
		return 0;
	/* Reject the top (2^64 mod bound) values, then reduce. */
	limit = UINT64_MAX - (UINT64_MAX % bound + 1) % bound;
	do {
		x = cgt_rng_next(r);
	} while (x > limit);
	return x % bound;
#endif
}

#endif /* CGTIER_RNG_H */
