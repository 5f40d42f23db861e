package dev.corral.storage.jdbc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One log entry: table {@code corral_log}. */
@Entity
@Table(name = "corral_log")
public class LogRow {
    @Id
    @Column(name = "idx")
    public long index;

    @Column(name = "term", nullable = false)
    public long term;

    @Column(name = "payload", nullable = false)
    public byte[] payload;

    @Column(name = "crc", nullable = false)
    public int crc;

    public LogRow() {}

    LogRow(long index, long term, byte[] payload, int crc) {
        this.index = index;
        this.term = term;
        this.payload = payload;
        this.crc = crc;
    }
}
