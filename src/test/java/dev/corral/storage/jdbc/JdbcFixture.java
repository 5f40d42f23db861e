package dev.corral.storage.jdbc;

import dev.corral.node.NodeLifecycle;
import io.quarkus.arc.Arc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Opens the configured database the way a node does (lock, migrate, claim), empties it, and reopens it to
 * stand for a restart. Only one {@link JdbcStorage} is open at a time, as on a real node.
 */
final class JdbcFixture {
    private JdbcStorage current;

    JdbcStorage fresh() {
        JdbcStorage s = open();
        try (Connection c = dataSource(s.kind()).getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM corral_log");
            st.execute("DELETE FROM corral_snapshot_chunk");
            st.execute("DELETE FROM corral_snapshot");
            st.execute("UPDATE corral_hard_state SET term = 0, voted_for = 0, commit_index = 0, base_index = 0, base_term = 0");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return reopen();
    }

    JdbcStorage reopen() {
        return open();
    }

    private JdbcStorage open() {
        close();
        current = Arc.container().instance(NodeLifecycle.class).get().openStorage();
        return current;
    }

    /** Flips one bit in the middle of the stored payload of entry {@code index}, behind the store's back (disk damage). */
    void flipPayloadByte(long index) {
        try (Connection c = dataSource(current.kind()).getConnection()) {
            byte[] data;
            try (PreparedStatement q = c.prepareStatement("SELECT payload FROM corral_log WHERE idx = ?")) {
                q.setLong(1, index);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) throw new IllegalStateException("no log entry " + index);
                    data = rs.getBytes(1);
                }
            }
            data[data.length / 2] ^= 0x01;
            try (PreparedStatement u = c.prepareStatement("UPDATE corral_log SET payload = ? WHERE idx = ?")) {
                u.setBytes(1, data);
                u.setLong(2, index);
                u.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the stored row of entry {@code index}, behind the store's back. */
    void deleteRecord(long index) {
        try (Connection c = dataSource(current.kind()).getConnection();
                PreparedStatement d = c.prepareStatement("DELETE FROM corral_log WHERE idx = ?")) {
            d.setLong(1, index);
            if (d.executeUpdate() != 1) throw new IllegalStateException("no log entry " + index);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void close() {
        if (current != null) current.close();
        current = null;
    }

    private static DataSource dataSource(JdbcStorage.Kind kind) {
        String name = kind == JdbcStorage.Kind.SQLITE ? "sqlite" : "pg";
        return Arc.container().select(io.agroal.api.AgroalDataSource.class, new io.quarkus.agroal.DataSource.DataSourceLiteral(name)).get();
    }
}
