package dev.corral.storage.jdbc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A snapshot's metadata: table {@code corral_snapshot}. */
@Entity
@Table(name = "corral_snapshot")
public class SnapshotRow {
    @Id
    public long id;

    @Column(name = "last_index", nullable = false)
    public long lastIndex;

    @Column(name = "last_term", nullable = false)
    public long lastTerm;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "chunks", nullable = false)
    public int chunks;

    @Column(name = "complete", nullable = false)
    public boolean complete;
}
