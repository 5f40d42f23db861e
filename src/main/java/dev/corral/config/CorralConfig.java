package dev.corral.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Corral's configuration: properties under {@code corral.} or the matching {@code CORRAL_…} environment
 * variables. The names in DESIGN.md's contract table are public and stable.
 */
@ConfigMapping(prefix = "corral")
public interface CorralConfig {
    /** This node's id. */
    @WithDefault("1")
    @Min(1)
    @Max(254)
    int nodeId();

    /** {@code 1=http://host:port,2=…}: the voting members' HTTP base URLs; unset means a cluster of one. */
    Optional<String> members();

    /** {@code 4=http://host:port,…}: members that replicate and serve reads but do not vote; unset means none. */
    Optional<String> observers();

    /** Where the embedded database and local state live. */
    @WithDefault("./data")
    String dataDir();

    /** ZooKeeper wire-protocol port. */
    @WithDefault("2181")
    @Min(0)
    @Max(65535)
    int clientPort();

    /** Shared secret for internal REST between members. */
    Optional<String> clusterSecret();

    /**
     * This member's storage may have lost entries it had acknowledged (its data directory was restored from a backup,
     * or a damaged log was cut short by hand): it asks the other voters for their term, takes a higher one and does not
     * vote until it has caught up. A member that starts on an empty data directory does this by itself. Set it for the
     * one start after such a repair; leaving it set costs an election at every start, nothing else.
     */
    @WithDefault("false")
    boolean storageLost();

    /**
     * Start the node at boot. Tools and storage tests set it to false to use the database without a node
     * owning it; a production node never needs it.
     */
    @WithDefault("true")
    boolean autostart();

    Storage storage();

    Limits limits();

    Session session();

    Snapshot snapshot();

    Raft raft();

    Watch watch();

    Auth auth();

    Http http();

    Peer peer();

    Digest digest();

    Zk zk();

    /** The ZooKeeper client protocol on {@code corral.client-port}. */
    interface Zk {
        /** Listen on the client port at all. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The four-letter words answered on the client port (ZooKeeper's {@code 4lw.commands.whitelist}); {@code *} means
         * all of them. Others get ZooKeeper's "not in the whitelist" line.
         */
        @WithDefault("ruok,srvr,stat,mntr,isro")
        List<String> fourLetterWords();

        /** How long a new connection may take to send its handshake before it is closed. */
        @WithDefault("10s")
        Duration handshakeTimeout();

        /** Requests one connection may have read and not yet answered; beyond it the connection stops reading for a while. */
        @WithDefault("1000")
        @Min(1)
        int requestsInFlightMax();
    }

    /**
     * Replica digests: the leader proposes, every so many log entries, a check carrying the digest of its tree; every
     * node compares it with its own and, on a mismatch, logs both values, counts it
     * ({@code corral_digest_mismatches_total}) and reports not ready.
     */
    interface Digest {
        /** Propose digest checks when leading, and act on those in the log. */
        @WithDefault("true")
        boolean enabled();

        /** Log entries between two digest checks, at least (the leader looks once per tick). */
        @WithDefault("1000")
        @Min(1)
        int everyEntries();
    }

    /** Internal REST between members (see {@code dev.corral.peer}). */
    interface Peer {
        /** Largest peer request body accepted; a batch of appends is kept far below it, one big entry fits. */
        @WithDefault("64M")
        io.quarkus.runtime.configuration.MemorySize bodyBytesMax();

        /** How long a request to a peer may take before it counts as failed (then the next waits, with backoff). */
        @WithDefault("2s")
        Duration requestTimeout();

        /** Messages queued towards one peer, at most; beyond it new ones are dropped (the protocol re-sends). */
        @WithDefault("10000")
        @Min(16)
        int queueMessagesMax();

        /** Payload bytes sent to one peer in one request, about (one message is always sent whole). */
        @WithDefault("4194304")
        @Min(1024)
        int batchBytesMax();
    }

    /** Where the log and snapshots are kept. */
    interface Storage {
        /** Unset: the embedded SQLite database in the data directory; {@code jdbc:postgresql://…}: PostgreSQL. */
        Optional<String> jdbcUrl();

        Optional<String> username();

        Optional<String> password();
    }

    interface Limits {
        /** Largest znode data accepted, in bytes (ZooKeeper's jute.maxbuffer is about 1 MiB). */
        @WithDefault("1048576")
        @Min(0)
        @Max(16777216)
        int dataBytesMax();

        /** How long a write waits for its commit before the client is told the outcome is unknown. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** Requests queued for the core thread, at most; beyond it clients get 503. */
        @WithDefault("50000")
        @Min(1)
        int queuedRequestsMax();

        /**
         * Paths one session may watch (each path may carry every kind of watch). A watch costs a few hundred bytes
         * of heap; this bounds what one client can make the node hold.
         */
        @WithDefault("100000")
        @Min(1)
        int watchedPathsPerSession();

        /** Watched (path, session) pairs on this node, all sessions together. */
        @WithDefault("1000000")
        @Min(1)
        int watchedPaths();

        /**
         * Largest answer of a read that gathers many znodes (a multi-read, a children listing), estimated before it is
         * built; a larger one is refused (children can be read in pages).
         */
        @WithDefault("16777216")
        @Min(1048576)
        long responseBytes();

        /** Sessions open at once that were opened from one client address through this node. */
        @WithDefault("1000")
        @Min(1)
        int sessionsPerAddress();

        /**
         * Bytes of watch events an event stream may have waiting to be written to its connection; a client that
         * reads more slowly is disconnected (it resumes with Last-Event-ID).
         */
        @WithDefault("262144")
        @Min(4096)
        long streamBufferBytes();

        /**
         * Open HTTP connections in total, at most; a connection beyond it is closed as soon as it is accepted,
         * before it can send anything (it is Quarkus' {@code quarkus.http.limits.max-connections}). The default
         * leaves room for hundreds of clients with connection pools while bounding the node's file descriptors
         * and per-connection buffers (a few KiB idle, up to the parser limits while a request is read).
         */
        @WithDefault("10000")
        @Min(1)
        int connectionsMax();

        /**
         * Open HTTP connections from one client address, at most, counted from each connection's first request:
         * the first request of a connection beyond it is answered 503 THROTTLED_OP and the connection closed.
         * One address cannot then take every connection the node allows. Behind a proxy every client shares the
         * proxy's address: raise this there. The default admits a benchmark of 64 clients with 8 concurrent
         * requests each from one machine (512 connections) with room to spare.
         */
        @WithDefault("1000")
        @Min(1)
        int connectionsPerAddressMax();

        /**
         * Requests the leader has taken and not yet answered (waiting for their commit, or for earlier writes to
         * commit), at most; beyond it clients get 503 {@code THROTTLED_OP}. Bounds what the leader holds per write
         * in flight (a waiter and a pending state, typically a kilobyte or two).
         */
        @WithDefault("10000")
        @Min(1)
        int pendingRequestsMax();
    }

    interface Session {
        /** Requested session timeouts are raised to at least this (ZooKeeper: 2 × tickTime). */
        @WithDefault("4s")
        Duration minTimeout();

        /** … and lowered to at most this (ZooKeeper: 20 × tickTime). */
        @WithDefault("40s")
        Duration maxTimeout();
    }

    interface Snapshot {
        /** Take a snapshot after this many log entries since the last one. */
        @WithDefault("100000")
        @Min(1)
        long everyEntries();

        /** … or after this many bytes of log payload since the last one. */
        @WithDefault("67108864")
        @Min(1)
        long everyBytes();

        /** Log entries kept behind the newest snapshot (for slow followers and watch replays). */
        @WithDefault("10000")
        @Min(0)
        long keepEntries();

        /** Complete snapshots kept. */
        @WithDefault("2")
        @Min(1)
        int keep();
    }

    interface Raft {
        /** The core's clock tick. */
        @WithDefault("50ms")
        Duration tick();

        /** Election timeout, in ticks (randomised up to twice this). */
        @WithDefault("10")
        @Min(2)
        int electionTicks();

        /** Leader heartbeat interval, in ticks. */
        @WithDefault("1")
        @Min(1)
        int heartbeatTicks();

        /** How often the leader looks for empty containers and expired TTL znodes. */
        @WithDefault("1s")
        Duration reapInterval();

        /**
         * Applied log entries kept in memory, in bytes (their payloads plus about 48 bytes each); older ones are
         * only in the log store, which is all a single node needs (it never reads an applied entry again). The
         * default, 8 MiB, holds the last few seconds of writes at the rates a node sustains (thousands to tens of
         * thousands of small writes per second): what a briefly lagging follower will need once members replicate
         * (issue #7), and about 3% of the heap a million-znode tree takes.
         */
        @WithDefault("8388608")
        @Min(0)
        long logCacheBytes();
    }

    interface Watch {
        /** Watch events kept per session for streams that reconnect with Last-Event-ID. */
        @WithDefault("1000")
        @Min(1)
        int journalEvents();
    }

    /** Rules of the HTTP layer beyond Quarkus' own settings. */
    interface Http {
        /**
         * Web origins ({@code scheme://host[:port]}, comma-separated, compared exactly, case aside) whose pages may
         * send state-changing requests (POST, PUT, DELETE) to this node. A browser sends such a request from
         * any site the user visits, with the user's network position and credentials, and names that site in
         * {@code Origin}: a request whose Origin is neither the node's own host (its {@code Host} header) nor
         * listed here is refused with 403 NO_AUTH. Requests without Origin (curl, programs, server-side
         * clients) and reads are not affected; no CORS headers are sent, so a page cannot read any answer.
         * Unset: only the node's own origin. List the public origin here when a proxy rewrites {@code Host}.
         */
        Optional<List<String>> allowedOrigins();
    }

    interface Auth {
        /**
         * Super user, as ZooKeeper's {@code zookeeper.DigestAuthenticationProvider.superDigest}:
         * {@code name:base64(sha1(name:password))}. A client authenticated as that user bypasses every ACL.
         */
        Optional<String> superDigest();
    }
}
