package dev.corral.client.recipes;

import java.nio.charset.StandardCharsets;

/**
 * A member of a {@link GroupMembership} group.
 *
 * @param id the member's id (its znode's name)
 * @param data the data it joined with (never null; empty if none). The array is the caller's; records compare arrays
 *     by identity
 */
public record Member(String id, byte[] data) {
    /** The data as UTF-8 text. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
