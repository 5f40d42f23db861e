-- Corral storage, version 1: the replicated log, the hard state, snapshots and the identity of the node
-- that owns the database. One script serves SQLite and PostgreSQL; the two placeholders pick the types:
--   ${key}   64-bit integer key: INTEGER on SQLite (so the log is the table's rowid, stored in index order),
--            BIGINT on PostgreSQL
--   ${bytes} binary payload: BLOB on SQLite, BYTEA on PostgreSQL

-- Which node owns this database (one row). A node started against another node's database refuses to run.
CREATE TABLE corral_node (
    id         INTEGER NOT NULL PRIMARY KEY,
    node_id    INTEGER NOT NULL,
    created_ms BIGINT  NOT NULL
);

-- Raft hard state (one row): current term, vote and known commit index, and the log's base: the last
-- entry a snapshot covers and the log no longer holds.
CREATE TABLE corral_hard_state (
    id           INTEGER NOT NULL PRIMARY KEY,
    term         BIGINT  NOT NULL,
    voted_for    INTEGER NOT NULL,
    commit_index BIGINT  NOT NULL,
    base_index   BIGINT  NOT NULL,
    base_term    BIGINT  NOT NULL
);
INSERT INTO corral_hard_state (id, term, voted_for, commit_index, base_index, base_term) VALUES (1, 0, 0, 0, 0, 0);

-- The log: one row per entry, contiguous indexes. crc is CRC32C over (index, term, payload).
CREATE TABLE corral_log (
    idx     ${key}  NOT NULL PRIMARY KEY,
    term    BIGINT  NOT NULL,
    payload ${bytes} NOT NULL,
    crc     INTEGER NOT NULL
);

-- Snapshots: visible once complete; their bytes are in corral_snapshot_chunk, in order of seq.
CREATE TABLE corral_snapshot (
    id         ${key}  NOT NULL PRIMARY KEY,
    last_index BIGINT  NOT NULL,
    last_term  BIGINT  NOT NULL,
    size_bytes BIGINT  NOT NULL,
    chunks     INTEGER NOT NULL,
    complete   BOOLEAN NOT NULL
);

CREATE TABLE corral_snapshot_chunk (
    snapshot_id BIGINT  NOT NULL,
    seq         INTEGER NOT NULL,
    data        ${bytes} NOT NULL,
    crc         INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, seq)
);
