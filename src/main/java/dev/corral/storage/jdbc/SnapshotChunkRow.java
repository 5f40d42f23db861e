package dev.corral.storage.jdbc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** One chunk of a snapshot's bytes: table {@code corral_snapshot_chunk}. */
@Entity
@Table(name = "corral_snapshot_chunk")
@IdClass(SnapshotChunkRow.Key.class)
public class SnapshotChunkRow {
    @Id
    @Column(name = "snapshot_id")
    public long snapshotId;

    @Id
    @Column(name = "seq")
    public int seq;

    @Column(name = "data", nullable = false)
    public byte[] data;

    @Column(name = "crc", nullable = false)
    public int crc;

    /** Composite key (snapshot, chunk number). */
    public static class Key implements Serializable {
        public long snapshotId;
        public int seq;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.snapshotId == snapshotId && k.seq == seq;
        }

        @Override
        public int hashCode() {
            return Objects.hash(snapshotId, seq);
        }
    }
}
