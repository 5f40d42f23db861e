package dev.corral.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful answer.
 *
 * @param status the HTTP status (2xx)
 * @param body the JSON body, or null for none (204)
 * @param zxid the {@code Corral-Zxid} header, or -1 without one
 * @param server the index of the node that answered
 */
record Reply(int status, JsonNode body, long zxid, int server) {}
