package dev.ich.core.phantom;

/**
 * Derives independent random streams from (seed, study, slice) so every study and slice can be
 * rendered on any thread in any order and still come out the same.
 */
final class Seeds {
    private Seeds() {
    }

    static long of(long seed, long... parts) {
        long h = mix(seed ^ 0x632BE59BD9B4E019L);
        for (long p : parts) h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
        return h;
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
