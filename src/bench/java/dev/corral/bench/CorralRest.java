package dev.corral.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Corral's REST API (/v1/nodes) as a benchmark target: JSON bodies, data as base64, HTTP/1.1 keep-alive. */
final class CorralRest implements Target {
    private final String label;
    private final InetSocketAddress address;
    private final CorralCounters counters;
    private final String readQuery;

    CorralRest(String label, InetSocketAddress address) {
        this(label, address, "");
    }

    /** As {@link #CorralRest(String, InetSocketAddress)}, with {@code readQuery} (e.g. {@code ?consistency=linearizable}) on every getData. */
    CorralRest(String label, InetSocketAddress address, String readQuery) {
        this.label = label;
        this.address = address;
        this.counters = new CorralCounters(address);
        this.readQuery = readQuery;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public WriteCounters counters() {
        return counters;
    }

    @Override
    public Client connect() {
        return new RestClient(new HttpConnection(address), readQuery);
    }

    private static final class RestClient implements Client {
        private final HttpConnection http;
        private final String readQuery;
        private byte[] lastData;
        private byte[] createBody;
        private byte[] setBody;

        RestClient(HttpConnection http, String readQuery) {
            this.http = http;
            this.readQuery = readQuery;
        }

        @Override
        public void create(String path, byte[] data) throws IOException {
            encode(data);
            expect(http.send("POST", "/v1/nodes" + path, createBody), 201, "POST", path);
        }

        @Override
        public void setData(String path, byte[] data) throws IOException {
            encode(data);
            expect(http.send("PUT", "/v1/nodes" + path, setBody), 200, "PUT", path);
        }

        @Override
        public void getData(String path) throws IOException {
            expect(http.send("GET", "/v1/nodes" + path + readQuery, null), 200, "GET", path + readQuery);
        }

        @Override
        public void ensure(String path) throws IOException {
            int status = http.send("POST", "/v1/nodes" + path, "{}".getBytes(StandardCharsets.US_ASCII));
            if (status != 201 && status != 409) expect(status, 201, "POST", path);
        }

        /** The JSON bodies for {@code data}, built once per distinct array so that the client stays cheap. */
        private void encode(byte[] data) {
            if (data == lastData) return;
            String b64 = Base64.getEncoder().encodeToString(data);
            createBody = ("{\"data\":\"" + b64 + "\"}").getBytes(StandardCharsets.US_ASCII);
            setBody = ("{\"data\":\"" + b64 + "\",\"version\":-1}").getBytes(StandardCharsets.US_ASCII);
            lastData = data;
        }

        private void expect(int status, int wanted, String method, String path) throws IOException {
            if (status != wanted) {
                String body = new String(http.body(), StandardCharsets.UTF_8);
                throw new IOException(method + " " + path + ": HTTP " + status + " " + body.substring(0, Math.min(200, body.length())));
            }
        }

        @Override
        public void close() {
            http.close();
        }
    }
}
