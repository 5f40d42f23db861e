package dev.corral.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Client threads that write to one node as fast as it answers, recording every outcome in the {@link History}:
 * {@code writers} threads each create, update (half the time with the expected version) and delete their own
 * persistent znodes under {@code /crash/w<n>}, and one thread opens sessions, creates and updates ephemerals
 * under {@code /crash/eph} in them, and closes them. Sessions and znodes carry over from one run to the next,
 * so that later runs update what earlier ones wrote.
 *
 * <p>A run ends when its node is killed: each thread stops at its first failed request after
 * {@link Run#killing()} (or once the node is dead). Requests that were in flight then have an unknown outcome.
 */
final class Workload {
    static final int SESSION_TIMEOUT_MS = 40_000;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** How one request ended, for the thread that sent it. */
    private enum Step {
        DONE,
        /** 5xx: the node answered, but the outcome is unknown. */
        IN_DOUBT,
        /** No answer: the connection broke or the request timed out. */
        LOST
    }

    private final History history;
    private final int writers;
    private final SplittableRandom seeds;

    Workload(History history, int writers, long seed) {
        this.history = history;
        this.writers = writers;
        this.seeds = new SplittableRandom(seed);
    }

    /** Creates the parents the threads write under; they must be acknowledged before any run starts. */
    void createParents(NodeProcess node) throws IOException {
        List<String> parents = new ArrayList<>(List.of("/crash", "/crash/eph"));
        for (int t = 0; t < writers; t++) parents.add("/crash/w" + t);
        for (String p : parents) {
            History.Znode z = history.newZnode(p, 0, -1);
            if (create(node, z, ("parent " + p).getBytes(StandardCharsets.UTF_8), null) != Step.DONE || !z.exists) {
                throw new AssertionError("could not create " + p + ": " + history.anomalies());
            }
        }
    }

    /**
     * One run of the client threads against one node, or, for a cluster, against whichever node {@code route} names
     * for each request ({@code failover}: threads go on after a request that got no answer, with the next node).
     */
    final class Run {
        private final Supplier<NodeProcess> route;
        private final Supplier<NodeProcess> sessionRoute;
        private final boolean failover;
        final int cycle;
        private final long ackedAtStart = history.acked.get();
        private final long unknownAtStart = history.unknown.get();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean killing;
        private volatile boolean stopping;

        private Run(Supplier<NodeProcess> route, Supplier<NodeProcess> sessionRoute, boolean failover, int cycle) {
            this.route = route;
            this.sessionRoute = sessionRoute;
            this.failover = failover;
            this.cycle = cycle;
        }

        /** The node for the next request. */
        NodeProcess node() {
            return route.get();
        }

        /** The node for the next request of the sessions thread. */
        NodeProcess sessionNode() {
            return sessionRoute.get();
        }

        long acked() {
            return history.acked.get() - ackedAtStart;
        }

        long unknown() {
            return history.unknown.get() - unknownAtStart;
        }

        boolean killing() {
            return killing;
        }

        /**
         * Whether a thread stops after {@code step}. A node that cannot take writes answers 503 at once; the
         * thread then waits a little, as a client honouring Retry-After would, instead of spinning.
         */
        private boolean ends(Step step) {
            if (stopping) return true;
            if (step == Step.LOST && !failover && (killing || !route.get().isAlive())) return true;
            if (step != Step.DONE) java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            return false;
        }

        /** Call just before killing the node: threads stop at their next failed request instead of retrying. */
        void killing(boolean k) {
            killing = k;
        }

        /** Stops the threads after their current request, with the node still running, and waits for them. */
        void stop() throws InterruptedException {
            stopping = true;
            join();
        }

        /** Waits for every thread to stop; call after the node is dead. */
        void join() throws InterruptedException {
            killing = true;
            for (Thread t : threads) {
                t.join(NodeProcess.EXIT_DEADLINE.toMillis());
                if (t.isAlive()) throw new AssertionError(t.getName() + " did not stop after the node was killed");
            }
        }
    }

    Run start(NodeProcess node, int cycle) {
        return start(() -> node, () -> node, false, cycle);
    }

    /**
     * A run whose requests go where {@code route} says, one call per request, and those of the sessions thread where
     * {@code sessionRoute} says; see {@link Run}.
     */
    Run start(Supplier<NodeProcess> route, Supplier<NodeProcess> sessionRoute, boolean failover, int cycle) {
        Run run = new Run(route, sessionRoute, failover, cycle);
        for (int t = 0; t < writers; t++) {
            int writer = t;
            SplittableRandom rnd = seeds.split();
            run.threads.add(Thread.ofPlatform().daemon().name("crash-writer-" + t).start(guarded(() -> runWriter(run, writer, rnd))));
        }
        SplittableRandom rnd = seeds.split();
        run.threads.add(Thread.ofPlatform().daemon().name("crash-sessions").start(guarded(() -> runSessions(run, rnd))));
        return run;
    }

    /** A client thread that fails must fail the test, not just end. */
    private Runnable guarded(Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                history.anomaly(Thread.currentThread().getName() + " failed: " + e);
            }
        };
    }

    /** Heartbeats for every session still in use, so that none expires while the test runs; failures are ignored. */
    void keepAlive(NodeProcess node) {
        for (History.Session s : history.sessions.values()) {
            if (s.closed) continue;
            try {
                node.post("/v1/sessions/" + s.id + "/keepalive", "", s.secret);
            } catch (IOException e) {
                // The node is down or restarting; the next round tries again.
            }
        }
    }

    private void runWriter(Run run, int writer, SplittableRandom rnd) {
        List<History.Znode> mine = new ArrayList<>(history.znodes.values().stream().filter(z -> z.writer == writer && z.isClean()).toList());
        for (int seq = 0; ; seq++) {
            byte[] data = payload("c" + run.cycle + ".w" + writer + "." + seq + ":", rnd);
            double r = rnd.nextDouble();
            Step step;
            if (mine.isEmpty() || r < 0.4) {
                History.Znode z = history.newZnode("/crash/w" + writer + "/c" + run.cycle + "-" + seq, 0, writer);
                step = create(run.node(), z, data, null);
                if (z.isClean()) mine.add(z);
            } else {
                int i = rnd.nextInt(mine.size());
                History.Znode z = mine.get(i);
                step = r < 0.92 ? set(run.node(), z, data, rnd.nextBoolean(), null) : delete(run.node(), z);
                if (!z.isClean()) mine.remove(i);
            }
            if (run.ends(step)) return;
        }
    }

    private void runSessions(Run run, SplittableRandom rnd) {
        List<History.Session> usable = new ArrayList<>(history.sessions.values().stream().filter(History.Session::isUsable).toList());
        for (int seq = 0; ; seq++) {
            Step step;
            if (usable.size() < 3) {
                step = openSession(run.sessionNode(), usable);
            } else {
                History.Session s = usable.get(rnd.nextInt(usable.size()));
                List<History.Znode> clean = s.ephemerals.stream().filter(History.Znode::isClean).toList();
                if (s.ephemerals.size() >= 12 && rnd.nextInt(8) == 0) {
                    step = closeSession(run.sessionNode(), s);
                    usable.remove(s);
                } else if (!clean.isEmpty() && rnd.nextInt(4) == 0) {
                    byte[] data = payload("c" + run.cycle + ".s." + seq + ":", rnd);
                    step = set(run.sessionNode(), clean.get(rnd.nextInt(clean.size())), data, true, s);
                } else {
                    History.Znode z = history.newZnode("/crash/eph/" + s.id + "-" + s.ephemerals.size(), s.idValue, -1);
                    s.ephemerals.add(z);
                    step = create(run.sessionNode(), z, payload("c" + run.cycle + ".e." + seq + ":", rnd), s);
                }
            }
            if (run.ends(step)) return;
        }
    }

    // ---- requests ----

    private Step create(NodeProcess node, History.Znode z, byte[] data, History.Session session) {
        String body = "{\"data\":\"" + Base64.getEncoder().encodeToString(data) + "\""
                + (session == null ? "" : ",\"mode\":\"ephemeral\",\"session\":\"" + session.id + "\"") + "}";
        NodeProcess.Reply r;
        try {
            r = node.post("/v1/nodes" + z.path, body, session == null ? null : session.secret);
        } catch (IOException e) {
            history.unknown(z, new History.Write(History.Kind.CREATE, data));
            return Step.LOST;
        }
        if (r.status() == 201) {
            history.ackCreate(z, data, r.zxid(), r.json().path("stat"));
            return Step.DONE;
        }
        return notDone(z, new History.Write(History.Kind.CREATE, data), "create " + z.path, r);
    }

    private Step set(NodeProcess node, History.Znode z, byte[] data, boolean withVersion, History.Session session) {
        String body = "{\"data\":\"" + Base64.getEncoder().encodeToString(data) + "\"" + (withVersion ? ",\"version\":" + z.version : "")
                + (session == null ? "" : ",\"session\":\"" + session.id + "\"") + "}";
        NodeProcess.Reply r;
        try {
            r = node.put("/v1/nodes" + z.path, body, session == null ? null : session.secret);
        } catch (IOException e) {
            history.unknown(z, new History.Write(History.Kind.SET, data));
            return Step.LOST;
        }
        if (r.status() == 200) {
            history.ackSet(z, data, r.zxid(), r.json().path("stat"));
            return Step.DONE;
        }
        return notDone(z, new History.Write(History.Kind.SET, data), "set " + z.path + (withVersion ? " at version " + z.version : ""), r);
    }

    private Step delete(NodeProcess node, History.Znode z) {
        NodeProcess.Reply r;
        try {
            r = node.delete("/v1/nodes" + z.path + "?version=" + z.version);
        } catch (IOException e) {
            history.unknown(z, new History.Write(History.Kind.DELETE, null));
            return Step.LOST;
        }
        if (r.status() == 204) {
            history.ackDelete(z, r.zxid());
            return Step.DONE;
        }
        return notDone(z, new History.Write(History.Kind.DELETE, null), "delete " + z.path + " at version " + z.version, r);
    }

    private Step notDone(History.Znode z, History.Write w, String what, NodeProcess.Reply r) {
        if (r.status() >= 500) {
            history.unknown(z, w);
            return Step.IN_DOUBT;
        }
        // A 4xx here means the node's tree differs from what it acknowledged: the znode is no longer predictable.
        history.refused(what, r);
        z.pending = w;
        return Step.DONE;
    }

    private Step openSession(NodeProcess node, List<History.Session> usable) {
        NodeProcess.Reply r;
        try {
            r = node.post("/v1/sessions", "{\"timeoutMs\":" + SESSION_TIMEOUT_MS + "}");
        } catch (IOException e) {
            history.unknown.incrementAndGet();
            return Step.LOST;
        }
        if (r.status() == 201) {
            History.Session s = history.newSession(r.json().path("id").asText(), r.json().path("secret").asText(), r.zxid());
            if (r.json().path("timeoutMs").asInt() != SESSION_TIMEOUT_MS) history.anomaly("session opened with " + r.body());
            usable.add(s);
            return Step.DONE;
        }
        if (r.status() >= 500) {
            history.unknown.incrementAndGet();
            return Step.IN_DOUBT;
        }
        history.refused("open a session", r);
        return Step.DONE;
    }

    private Step closeSession(NodeProcess node, History.Session s) {
        NodeProcess.Reply r;
        try {
            r = node.delete("/v1/sessions/" + s.id, s.secret);
        } catch (IOException e) {
            s.closePending = true;
            history.unknown.incrementAndGet();
            return Step.LOST;
        }
        if (r.status() == 204) {
            history.ackClose(s, r.zxid());
            return Step.DONE;
        }
        s.closePending = true;
        if (r.status() >= 500) {
            history.unknown.incrementAndGet();
            return Step.IN_DOUBT;
        }
        history.refused("close session " + s.id, r);
        return Step.DONE;
    }

    /** A payload that names its write (unique in the whole test) followed by 0–300 random characters. */
    private static byte[] payload(String name, SplittableRandom rnd) {
        StringBuilder b = new StringBuilder(name);
        int n = rnd.nextInt(301);
        for (int i = 0; i < n; i++) b.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
