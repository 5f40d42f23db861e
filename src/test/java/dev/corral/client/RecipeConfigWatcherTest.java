package dev.corral.client;

import static dev.corral.client.ClientTests.bytes;
import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.client.recipes.ConfigWatcher;
import dev.corral.client.recipes.RenewingClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The configuration watcher: it settles on the final value after many rapid changes (so it re-reads and watches again
 * after each event), follows deletion and re-creation, keeps following when its node dies and the client moves to
 * another, and recovers from an expired session with a renewing client.
 */
@QuarkusTest
class RecipeConfigWatcherTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private CorralClient writer;

    @BeforeEach
    void ready() {
        ClientTests.awaitReady();
        writer = ClientTests.client();
        closing.add(writer);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    /** The text a value holds, or null for an absent znode. */
    private static String text(Optional<NodeData> v) {
        return v.map(NodeData::text).orElse(null);
    }

    private ConfigWatcher watcher(java.util.function.Supplier<CorralClient> clients, String path, AtomicReference<String> heard) {
        ConfigWatcher w = new ConfigWatcher(clients, path, v -> heard.set(text(v) == null ? "<absent>" : text(v)));
        closing.add(w);
        return w;
    }

    @Test
    void settlesOnTheFinalValueAfterManyRapidChangesAndFollowsDeletionAndCreation() {
        String path = uniquePath("config");
        CorralClient c = ClientTests.client();
        closing.add(c);
        AtomicReference<String> heard = new AtomicReference<>();
        ConfigWatcher w = watcher(() -> c, path, heard);
        w.start();
        assertEquals(Optional.empty(), w.current(), "absent at first");
        ClientTests.await("the listener to hear the absence", ClientTests.DEADLINE, () -> "<absent>".equals(heard.get()));
        writer.create(path, bytes("v0"));
        for (int i = 1; i <= 60; i++) writer.setData(path, bytes("v" + i));
        ClientTests.await("the final value", ClientTests.DEADLINE, () -> "v60".equals(text(w.current())) && "v60".equals(heard.get()));
        writer.delete(path);
        ClientTests.await("the absence", ClientTests.DEADLINE, () -> w.current().isEmpty() && "<absent>".equals(heard.get()));
        writer.create(path, bytes("again"));
        ClientTests.await("the new znode", ClientTests.DEADLINE, () -> "again".equals(text(w.current())) && "again".equals(heard.get()));
        assertTrue(w.isFollowing());
    }

    @Test
    void keepsFollowingWhenItsNodeDiesAndTheClientMovesToAnother() {
        String path = uniquePath("config-failover");
        writer.create(path, bytes("before"));
        try (TcpProxy proxy = TcpProxy.start(ClientTests.port())) {
            CorralClient c = CorralClient.builder().servers(proxy.url(), ClientTests.url()).sessionTimeout(Duration.ofSeconds(30)).build();
            closing.add(c);
            AtomicReference<String> heard = new AtomicReference<>();
            ConfigWatcher w = watcher(() -> c, path, heard);
            w.start();
            assertEquals("before", text(w.current()));
            writer.setData(path, bytes("through the proxy"));
            ClientTests.await("the change through the proxy", ClientTests.DEADLINE, () -> "through the proxy".equals(text(w.current())));

            proxy.stop();
            for (int i = 0; i < 20; i++) writer.setData(path, bytes("after " + i));
            ClientTests.await("the final change after the move", ClientTests.DEADLINE,
                    () -> "after 19".equals(text(w.current())) && "after 19".equals(heard.get()));
            assertEquals(ClientTests.url(), c.currentServer().toString(), "the client moved");
            writer.setData(path, bytes("later"));
            ClientTests.await("a later change", ClientTests.DEADLINE, () -> "later".equals(text(w.current())));
        }
    }

    @Test
    void recoversFromAnExpiredSessionWithARenewingClientAndStopsWithAFixedOne() {
        String path = uniquePath("config-expiry");
        writer.create(path, bytes("1"));
        RenewingClient renewing = new RenewingClient(ClientTests::client);
        closing.add(renewing);
        AtomicReference<String> heard = new AtomicReference<>();
        ConfigWatcher w = watcher(renewing, path, heard);
        w.start();
        CorralClient fixed = ClientTests.client();
        closing.add(fixed);
        ConfigWatcher stopping = watcher(() -> fixed, path, new AtomicReference<>());
        stopping.start();

        RecipeTests.killSession(renewing.get());
        RecipeTests.killSession(fixed);
        writer.setData(path, bytes("2"));
        ClientTests.await("the change after the expiry", ClientTests.DEADLINE, () -> "2".equals(text(w.current())) && "2".equals(heard.get()));
        assertEquals(2, renewing.clientsCreated(), "went on with a fresh session");
        writer.setData(path, bytes("3"));
        ClientTests.await("a later change", ClientTests.DEADLINE, () -> "3".equals(text(w.current())));
        assertTrue(w.isFollowing());
        ClientTests.await("the watcher with a fixed client to stop", ClientTests.DEADLINE, () -> !stopping.isFollowing());
        assertFalse(stopping.isFollowing());
    }
}
