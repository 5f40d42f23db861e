package dev.corral.storage.jdbc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The node that owns the database: the single row of {@code corral_node}. */
@Entity
@Table(name = "corral_node")
public class NodeRow {
    static final int ID = 1;

    @Id
    public int id = ID;

    @Column(name = "node_id", nullable = false)
    public int nodeId;

    @Column(name = "created_ms", nullable = false)
    public long createdMs;
}
