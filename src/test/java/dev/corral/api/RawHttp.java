package dev.corral.api;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written byte for byte on a plain socket, for the requests HTTP client libraries refuse to send or
 * rewrite: malformed targets, oversized heads, chunked or mislabelled bodies, many connections from chosen
 * loopback addresses. Only what the tests need: one exchange per call, replies with Content-Length.
 */
final class RawHttp implements AutoCloseable {
    /** A reply; {@code status} -1 if the server closed the connection without answering. */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonPath json() {
            return new JsonPath(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** A connection to the node under test from the local address {@code from} (any 127.x.y.z works on Linux). */
    static RawHttp connect(String from) {
        try {
            Socket s = new Socket();
            s.setSoTimeout(30_000);
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), RestAssured.port), 10_000);
            return new RawHttp(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request on a fresh connection from 127.0.0.1, closed afterwards. */
    static Reply send(String method, String target, Map<String, String> headers, byte[] body) {
        try (RawHttp c = connect("127.0.0.1")) {
            return c.exchange(request(method, target, headers, body));
        }
    }

    static Reply send(String method, String target, Map<String, String> headers, String body) {
        return send(method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bytes of a request: the request line, Host, the given headers, Content-Length for a body unless the
     * headers set Transfer-Encoding or Content-Length themselves, then the body as given.
     */
    static byte[] request(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + RestAssured.port + "\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        boolean framed = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Transfer-Encoding") || k.equalsIgnoreCase("Content-Length"));
        if (body != null && !framed) head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) out.writeBytes(body);
        return out.toByteArray();
    }

    /** Writes the request and reads one reply. A server that stops reading a body early still gets heard. */
    Reply exchange(byte[] request) {
        try {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                // The server answered and closed before taking the whole body; its answer may be waiting.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server has closed this connection: a read sees the end of the stream or a reset. */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply read(InputStream in) throws IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketException e) {
            return new Reply(-1, Map.of(), "");
        }
        if (statusLine == null) return new Reply(-1, Map.of(), "");
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** A line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
