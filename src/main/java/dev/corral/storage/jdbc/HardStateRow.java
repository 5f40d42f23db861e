package dev.corral.storage.jdbc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Raft hard state and the log base: the single row of {@code corral_hard_state}. */
@Entity
@Table(name = "corral_hard_state")
public class HardStateRow {
    static final int ID = 1;

    @Id
    public int id = ID;

    @Column(name = "term", nullable = false)
    public long term;

    @Column(name = "voted_for", nullable = false)
    public int votedFor;

    @Column(name = "commit_index", nullable = false)
    public long commitIndex;

    @Column(name = "base_index", nullable = false)
    public long baseIndex;

    @Column(name = "base_term", nullable = false)
    public long baseTerm;
}
