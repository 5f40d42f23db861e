package dev.corral.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of the node under test, to break the network between a client and the node on
 * purpose: cut every connection, stop listening (connections are refused, as to a dead node) and listen again, and
 * swallow what the node sends on event-stream connections, as a network that loses data in flight does (the node
 * believes it delivered events the client never got). It also records what clients send, to check the wire.
 */
final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final StringBuffer sent = new StringBuffer();
    private final StringBuffer swallowed = new StringBuffer();
    private volatile ServerSocket listener;
    private volatile boolean swallowEvents;
    /** A request-line fragment whose next request gets a broken answer; null for none. */
    private final java.util.concurrent.atomic.AtomicReference<String> breakNextAnswer = new java.util.concurrent.atomic.AtomicReference<>();

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        acceptLoop(listener);
    }

    /** A proxy on a free loopback port forwarding to {@code targetPort}. */
    static TcpProxy start(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void acceptLoop(ServerSocket server) {
        Thread.ofVirtual().name("proxy-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket node = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    Link link = new Link(client, node);
                    links.add(link);
                    link.start();
                } catch (IOException e) {
                    // Closed, or the node refused: the client sees its connection end.
                }
            }
        });
    }

    /** From now on, bytes the node sends on event-stream connections are read and dropped (kept for {@link #swallowed}). */
    void swallowEventStreams(boolean on) {
        swallowEvents = on;
    }

    /**
     * The next request whose bytes contain {@code fragment} reaches the node, but its answer breaks off after its first
     * bytes (the connection closes): the client cannot know whether the request was carried out.
     */
    void breakNextAnswerTo(String fragment) {
        breakNextAnswer.set(fragment);
    }

    /** How many times clients sent {@code fragment}. */
    int countSent(String fragment) {
        String all = sent();
        int n = 0;
        for (int i = all.indexOf(fragment); i >= 0; i = all.indexOf(fragment, i + 1)) n++;
        return n;
    }

    /** Everything swallowed so far. */
    String swallowed() {
        return swallowed.toString();
    }

    /** Everything clients sent through the proxy so far. */
    String sent() {
        return sent.toString();
    }

    /** Closes the event-stream connections now: both ends see them end. */
    void cutEventStreams() {
        for (Link l : links) {
            if (l.eventStream) l.close();
        }
    }

    /** Stops listening and closes every connection: the node looks dead (connections are refused). */
    void stop() {
        try {
            listener.close();
        } catch (IOException e) {
            // Already closed.
        }
        for (Link l : links) l.close();
    }

    /** Listens again on the same port. */
    void restart() {
        try {
            listener = listen(port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port + " again", e);
        }
        acceptLoop(listener);
    }

    @Override
    public void close() {
        stop();
    }

    /** One client connection and its connection to the node, with a thread pumping each way. */
    private final class Link {
        private final Socket client;
        private final Socket node;
        volatile boolean eventStream;
        volatile boolean breakAnswer;

        Link(Socket client, Socket node) {
            this.client = client;
            this.node = node;
        }

        void start() {
            Thread.ofVirtual().name("proxy-up").start(() -> pump(client, node, true));
            Thread.ofVirtual().name("proxy-down").start(() -> pump(node, client, false));
        }

        private void pump(Socket from, Socket to, boolean up) {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (up) {
                        String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                        sent.append(text);
                        if (text.contains("/events ")) eventStream = true;
                        String fragment = breakNextAnswer.get();
                        if (fragment != null && text.contains(fragment) && breakNextAnswer.compareAndSet(fragment, null)) breakAnswer = true;
                    } else if (breakAnswer) {
                        // The status line begins, then the connection dies: too late for the client to resend on its own.
                        out.write(buffer, 0, Math.min(n, 12));
                        out.flush();
                        return;
                    } else if (eventStream && swallowEvents) {
                        swallowed.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One end went away.
            } finally {
                close();
            }
        }

        void close() {
            links.remove(this);
            try {
                client.close();
            } catch (IOException e) {
                // Gone.
            }
            try {
                node.close();
            } catch (IOException e) {
                // Gone.
            }
        }
    }
}
