package dev.corral.client.recipes;

import java.util.List;

/**
 * Told of a {@link GroupMembership} group's members, and of this instance losing its own membership. Called on the
 * group's listener thread, one call at a time, in order; calling back into the group (even
 * {@link GroupMembership#join} after a loss) is fine.
 */
@FunctionalInterface
public interface MembershipListener {
    /**
     * The group's members are now {@code memberIds} (sorted). Called once when watching starts, then after each change
     * seen. Changes that follow each other quickly may arrive as one call: every call holds the whole list, and the
     * last call holds the list as it is now.
     */
    void membersChanged(List<String> memberIds);

    /**
     * This instance is no longer a member: its session ended, or its znode was deleted. It does not join again by
     * itself; call {@link GroupMembership#join} to (the client supplier then gives a client with a live session, if it
     * can).
     */
    default void membershipLost() {}
}
