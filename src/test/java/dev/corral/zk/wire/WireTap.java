package dev.corral.zk.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy between real ZooKeeper clients and a real ZooKeeper server that decodes every frame passing through
 * with this package and re-encodes it: each must come out byte for byte as it went in. Requests are decoded before
 * they are forwarded, so the opcode of every xid is known when its reply comes back.
 */
final class WireTap implements AutoCloseable {
    /** A reply or notification as decoded: the opcode it answers (0 for a notification), header and body. */
    record Reply(int opcode, ReplyHeader header, JuteRecord body) {}

    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    final List<ZkRequest> requests = new CopyOnWriteArrayList<>();
    final List<ConnectRequest> connects = new CopyOnWriteArrayList<>();
    final List<Reply> replies = new CopyOnWriteArrayList<>();
    final List<FourLetterWord> words = new CopyOnWriteArrayList<>();
    private final InetSocketAddress server;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    WireTap(InetSocketAddress server) throws IOException {
        this.server = server;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "wiretap-accept");
        accept.setDaemon(true);
        accept.start();
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Cuts every connection, as a network failure would: clients reconnect and set their watches again. */
    void cutConnections() {
        for (Socket s : sockets) close(s);
        sockets.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(server.getAddress(), server.getPort());
                sockets.add(client);
                sockets.add(upstream);
                Connection c = new Connection();
                start(() -> pump(client, upstream, c::fromClient), "wiretap-up");
                start(() -> pump(upstream, client, c::fromServer), "wiretap-down");
            } catch (IOException e) {
                if (!listener.isClosed()) failures.add(e);
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private interface Tap {
        void chunk(byte[] b, int n);
    }

    private void pump(Socket from, Socket to, Tap tap) {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                try {
                    tap.chunk(buf, n);
                } catch (Throwable t) {
                    failures.add(t);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a cut connection
        } finally {
            close(from);
            close(to);
        }
    }

    /** One client connection: its two decoders and the opcodes of its requests awaiting replies, by xid. */
    private final class Connection {
        private final FrameDecoder up = new FrameDecoder();
        private final FrameDecoder down = new FrameDecoder(FrameDecoder.FRAME_BYTES_MAX_DEFAULT, false);
        /** Reserved xids (ping, auth, set watches) may be in flight more than once: replies come in order. */
        private final Map<Integer, Queue<Integer>> pending = new ConcurrentHashMap<>();
        private volatile ConnectRequest connect;
        private boolean connected;

        void fromClient(byte[] b, int n) {
            up.feed(b, 0, n, frame -> {
                if (connect == null) {
                    ConnectRequest r = ZkRequests.decodeConnect(frame);
                    same("connect request", frame, ZooKeeperJute.ourBytes(r));
                    connects.add(r);
                    connect = r;
                    return;
                }
                ZkRequest r = ZkRequests.decode(frame);
                same(r.toString(), frame, strip(ZkRequests.encode(r)));
                pending.computeIfAbsent(r.xid(), x -> new ConcurrentLinkedQueue<>()).add(r.opcode());
                requests.add(r);
            });
            up.fourLetterWord().ifPresent(w -> {
                if (!words.contains(w)) words.add(w);
            });
        }

        void fromServer(byte[] b, int n) {
            if (up.fourLetterWord().isPresent()) return; // the answer is text, not frames
            down.feed(b, 0, n, frame -> {
                JuteReader in = new JuteReader(frame);
                if (!connected) {
                    ConnectResponse r = ConnectResponse.read(in);
                    if (r.readOnlyFieldSent() != connect.readOnlyFieldSent()) {
                        throw new AssertionError("readOnly answered out of kind: " + r + " to " + connect);
                    }
                    same("connect response", frame, ZooKeeperJute.ourBytes(r));
                    connected = true;
                    return;
                }
                ReplyHeader h = ReplyHeader.read(in);
                Queue<Integer> sent = pending.get(h.xid());
                Integer opcode = h.xid() == Xids.NOTIFICATION ? Integer.valueOf(0) : sent == null ? null : sent.poll();
                if (opcode == null) throw new AssertionError("a reply to no request: " + h);
                JuteRecord body = opcode == 0 ? WatcherEvent.read(in) : readBody(opcode, in);
                if (in.remaining() != 0) {
                    throw new AssertionError(in.remaining() + " bytes left in the reply to " + OpCodes.name(opcode)
                            + " " + h + ": " + HexFormat.of().formatHex(frame));
                }
                same("reply to " + OpCodes.name(opcode), frame, ZooKeeperJute.ourBytes(h, body));
                replies.add(new Reply(opcode, h, body));
            });
        }
    }

    /** The body the server sends for {@code opcode}, if any bytes follow the header. */
    static JuteRecord readBody(int opcode, JuteReader in) {
        if (in.remaining() == 0) return null;
        return switch (opcode) {
            case OpCodes.CREATE -> CreateResponse.read(in);
            case OpCodes.CREATE2, OpCodes.CREATE_TTL, OpCodes.CREATE_CONTAINER -> Create2Response.read(in);
            case OpCodes.EXISTS -> ExistsResponse.read(in);
            case OpCodes.GET_DATA -> GetDataResponse.read(in);
            case OpCodes.SET_DATA, OpCodes.CHECK -> SetDataResponse.read(in);
            case OpCodes.GET_ACL -> GetAclResponse.read(in);
            case OpCodes.SET_ACL -> SetAclResponse.read(in);
            case OpCodes.GET_CHILDREN -> GetChildrenResponse.read(in);
            case OpCodes.GET_CHILDREN2 -> GetChildren2Response.read(in);
            case OpCodes.SYNC -> SyncResponse.read(in);
            case OpCodes.MULTI, OpCodes.MULTI_READ -> MultiResponse.read(in, ZkRequests.MULTI_OPS_MAX_DEFAULT);
            case OpCodes.GET_EPHEMERALS -> GetEphemeralsResponse.read(in);
            case OpCodes.GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberResponse.read(in);
            case OpCodes.WHO_AM_I -> WhoAmIResponse.read(in);
            case OpCodes.ADD_WATCH -> ErrorResponse.read(in);
            default -> throw new AssertionError(OpCodes.name(opcode) + " is answered with a header alone, yet "
                    + in.remaining() + " bytes follow");
        };
    }

    private static byte[] strip(byte[] wire) {
        return Arrays.copyOfRange(wire, FrameEncoder.PREFIX_BYTES, wire.length);
    }

    private static void same(String what, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError(what + " re-encodes differently:\n  wire " + HexFormat.of().formatHex(expected)
                    + "\n  ours " + HexFormat.of().formatHex(actual));
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutConnections();
    }
}
