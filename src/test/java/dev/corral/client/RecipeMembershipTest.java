package dev.corral.client;

import static dev.corral.client.ClientTests.bytes;
import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.client.recipes.GroupMembership;
import dev.corral.client.recipes.Member;
import dev.corral.client.recipes.MembershipListener;
import dev.corral.client.recipes.RenewingClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group membership: members join with data and see each other, a watcher hears every change, a member whose session
 * is killed drops out and is told, and joins again with a fresh session.
 */
@QuarkusTest
class RecipeMembershipTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void ready() {
        ClientTests.awaitReady();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    /** Keeps the last list heard, and counts losses. */
    static final class Heard implements MembershipListener {
        final AtomicReference<List<String>> members = new AtomicReference<>();
        final AtomicInteger lost = new AtomicInteger();

        @Override
        public void membersChanged(List<String> memberIds) {
            members.set(memberIds);
        }

        @Override
        public void membershipLost() {
            lost.incrementAndGet();
        }
    }

    private GroupMembership group(java.util.function.Supplier<CorralClient> clients, String path, Heard heard) {
        GroupMembership g = new GroupMembership(clients, path, heard);
        closing.add(g);
        return g;
    }

    private CorralClient client() {
        CorralClient c = ClientTests.client();
        closing.add(c);
        return c;
    }

    @Test
    void membersJoinAndLeaveAWatcherHearsEachChangeAndAKilledMemberIsToldAndCanJoinAgain() {
        String path = uniquePath("group");
        Heard watching = new Heard();
        CorralClient watcherClient = client();
        GroupMembership watcher = group(() -> watcherClient, path, watching);
        watcher.start();
        ClientTests.await("the empty group", ClientTests.DEADLINE, () -> List.of().equals(watching.members.get()));

        CorralClient a = client();
        CorralClient b = client();
        GroupMembership memberA = group(() -> a, path, null);
        GroupMembership memberB = group(() -> b, path, null);
        RenewingClient renewing = new RenewingClient(ClientTests::client);
        closing.add(renewing);
        Heard cHeard = new Heard();
        GroupMembership memberC = group(renewing, path, cHeard);
        memberA.join("a", bytes("host-a:1"));
        memberB.join("b", bytes("host-b:2"));
        memberC.join("c", bytes("host-c:3"));
        ClientTests.await("three members", ClientTests.DEADLINE, () -> List.of("a", "b", "c").equals(watching.members.get()));
        assertEquals(List.of("a:host-a:1", "b:host-b:2", "c:host-c:3"),
                watcher.members().stream().map(m -> m.id() + ":" + m.text()).toList());
        assertTrue(memberC.isMember());
        assertThrows(IllegalStateException.class, () -> memberA.join("a2", null), "one membership per instance");
        GroupMembership impostor = group(() -> b, path, null);
        assertThrows(CorralException.NodeExistsException.class, () -> impostor.join("a", null), "ids are unique");

        memberB.leave();
        assertFalse(memberB.isMember());
        ClientTests.await("b gone", ClientTests.DEADLINE, () -> List.of("a", "c").equals(watching.members.get()));

        RecipeTests.killSession(renewing.get());
        ClientTests.await("c told it lost its membership", ClientTests.DEADLINE, () -> cHeard.lost.get() == 1);
        assertFalse(memberC.isMember());
        ClientTests.await("c gone", ClientTests.DEADLINE, () -> List.of("a").equals(watching.members.get()));
        memberC.join("c", bytes("host-c:4"));
        assertTrue(memberC.isMember());
        assertEquals(2, renewing.clientsCreated(), "joined again with a fresh session");
        ClientTests.await("c back", ClientTests.DEADLINE, () -> List.of("a", "c").equals(watching.members.get()));
        assertEquals(List.of("a", "c"), watcher.members().stream().map(Member::id).toList());
        assertEquals(1, cHeard.lost.get());
    }

    @Test
    void aMemberWhoseZnodeIsDeletedIsToldAndAFixedClientCannotJoinAfterExpiry() {
        String path = uniquePath("group-deleted");
        CorralClient c = client();
        Heard heard = new Heard();
        GroupMembership member = group(() -> c, path, heard);
        member.start();
        member.join("m", null);
        ClientTests.await("the member listed", ClientTests.DEADLINE, () -> List.of("m").equals(heard.members.get()));
        client().delete(path + "/m");
        ClientTests.await("the member told", ClientTests.DEADLINE, () -> heard.lost.get() == 1);
        assertFalse(member.isMember());
        member.join("m", null);
        assertTrue(member.isMember());
        RecipeTests.killSession(c);
        ClientTests.await("the member told again", ClientTests.DEADLINE, () -> heard.lost.get() == 2);
        assertFalse(member.isMember());
        assertThrows(CorralException.SessionExpiredException.class, () -> member.join("m", null));
    }
}
