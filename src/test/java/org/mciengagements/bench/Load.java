package org.mciengagements.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load driver: {@code clients} virtual threads each send one request after another
 * for a warm-up, then for the measured duration; every latency of the measured part is kept, so
 * percentiles are exact. Bounded in time and count: it stops by itself.
 */
final class Load {

    /** One request; returns whether the answer was the expected one. */
    interface Request {
        boolean send(int client) throws Exception;
    }

    /** What a run measured. Latencies in milliseconds; {@code nanos}, every latency measured, sorted. */
    record Stats(int clients, long requests, long failures, double seconds, double p50, double p95, double p99,
                 double max, long[] nanos) {

        static Stats of(int clients, long failures, double seconds, long[] sortedNanos) {
            return new Stats(clients, sortedNanos.length, failures, seconds, percentile(sortedNanos, 50),
                    percentile(sortedNanos, 95), percentile(sortedNanos, 99),
                    sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1e6, sortedNanos);
        }

        /** Several runs of the same load as one: their requests over their summed time. */
        static Stats combine(List<Stats> runs) {
            long[] all = runs.stream().flatMapToLong(r -> Arrays.stream(r.nanos())).sorted().toArray();
            return of(runs.getFirst().clients(), runs.stream().mapToLong(Stats::failures).sum(),
                    runs.stream().mapToDouble(Stats::seconds).sum(), all);
        }

        double throughput() {
            return requests / seconds;
        }

        String row(String name) {
            return String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d |", name, clients,
                    throughput(), p50, p95, p99, max, failures);
        }
    }

    private static final long MAX_REQUESTS = 2_000_000;

    private Load() {}

    static Stats run(int clients, Duration warmUp, Duration measured, Request request) throws Exception {
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        List<long[]> perClient = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(threads.submit(() -> {
                    long[] latencies = new long[1024];
                    int n = 0;
                    long sent = 0;
                    while (sent++ < MAX_REQUESTS / clients) {
                        long before = System.nanoTime();
                        if (before >= end) {
                            break;
                        }
                        boolean ok;
                        try {
                            ok = request.send(client);
                        } catch (Exception e) {
                            ok = false;
                        }
                        long after = System.nanoTime();
                        if (before >= measureFrom && after <= end) {
                            if (!ok) {
                                failures.incrementAndGet();
                            }
                            if (n == latencies.length) {
                                latencies = Arrays.copyOf(latencies, n * 2);
                            }
                            latencies[n++] = after - before;
                        }
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            for (Future<long[]> future : futures) {
                perClient.add(future.get());
            }
        }
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return Stats.of(clients, failures.get(), measured.toNanos() / 1e9, all);
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }
}
