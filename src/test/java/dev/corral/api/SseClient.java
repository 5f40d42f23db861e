package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A session's event stream, read by a background thread that parses Server-Sent Events frames
 * ({@code id:}, {@code event:}, {@code data:}) into a queue the test takes from with a deadline.
 */
final class SseClient implements AutoCloseable {
    /** One SSE frame; {@code id} is null when the frame has none. */
    record Event(String id, String name, String data) {
        JsonPath json() {
            return new JsonPath(data);
        }

        long zxid() {
            return Long.parseLong(id);
        }

        @Override
        public String toString() {
            return "id:" + id + " event:" + name + " data:" + data;
        }
    }

    /** Put on the queue when the server ends the stream. */
    private static final Event END = new Event(null, "<end of stream>", "");
    static final Duration EVENT_DEADLINE = Duration.ofSeconds(10);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile boolean closed;

    private SseClient(HttpResponse<InputStream> response) {
        this.body = response.body();
        this.reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream of {@code sessionId}, resuming after {@code lastEventId} if it is not null. */
    static SseClient open(String sessionId, String lastEventId) {
        return open(RestSupport.baseUrl(), sessionId, lastEventId);
    }

    /** As {@link #open(String, String)}, on the node at {@code baseUrl}. */
    static SseClient open(String baseUrl, String sessionId, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/sessions/" + sessionId + "/events"))
                .header("Accept", "text/event-stream").header(RestSupport.SECRET_HEADER, RestSupport.secretOf(sessionId)).GET();
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        try {
            HttpResponse<InputStream> r = RestSupport.http().sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(30, TimeUnit.SECONDS);
            if (r.statusCode() != 200) {
                String text;
                try (InputStream in = r.body()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                fail("event stream of " + sessionId + " answered " + r.statusCode() + ": " + text);
            }
            return new SseClient(r);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the event stream of " + sessionId, e);
        }
    }

    static SseClient open(String sessionId) {
        return open(sessionId, null);
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || name != null || id != null) {
                        events.add(new Event(id, name == null ? "message" : name, data == null ? "" : data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) continue;
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) value = value.substring(1);
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
        } catch (IOException e) {
            // The stream ended: closed by us, or by the server.
        } finally {
            events.add(END);
        }
    }

    /** The next event, failing if none arrives within the deadline or the stream ends first. */
    Event next() {
        Event e = poll(EVENT_DEADLINE);
        if (e == null) fail("no event within " + EVENT_DEADLINE.toMillis() + " ms");
        if (e == END) fail("the event stream ended while an event was expected");
        return e;
    }

    /** The next event, which must be a watch event of {@code type} on {@code path}; returns it. */
    Event nextWatch(String type, String path) {
        Event e = next();
        assertEquals("watch", e.name(), () -> "event " + e);
        assertEquals(type, e.json().getString("type"), () -> "type of " + e);
        assertEquals(path, e.json().getString("path"), () -> "path of " + e);
        assertEquals(e.id(), Long.toString(e.json().getLong("zxid")), () -> "SSE id and zxid of " + e);
        return e;
    }

    /** Waits for the server to end the stream, failing if another event comes first or it does not end in time. */
    void awaitEnd() {
        Event e = poll(EVENT_DEADLINE);
        if (e == null) fail("the event stream did not end within " + EVENT_DEADLINE.toMillis() + " ms");
        if (e != END) fail("expected the end of the stream, got " + e);
    }

    private Event poll(Duration timeout) {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Disconnects; the server notices on its next send. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            body.close();
        } catch (IOException e) {
            // Already gone.
        }
        reader.interrupt();
    }
}
