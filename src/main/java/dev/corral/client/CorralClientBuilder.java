package dev.corral.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settings of a {@link CorralClient}. Defaults: session timeout 30 s (the cluster clamps it to its range, 4–40 s by
 * default), request timeout 15 s (longer than the node's own deadline for a write, 10 s by default, so that the
 * node's answer comes first), connect timeout 3 s, {@link RetryPolicy#DEFAULT}, no credentials.
 */
public final class CorralClientBuilder {
    static final AtomicInteger CLIENTS = new AtomicInteger();
    final List<URI> servers = new ArrayList<>();
    final List<SessionListener> listeners = new ArrayList<>();
    Duration sessionTimeout = Duration.ofSeconds(30);
    Duration requestTimeout = Duration.ofSeconds(15);
    Duration connectTimeout = Duration.ofSeconds(3);
    RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    String user;
    String password;

    CorralClientBuilder() {}

    /**
     * The nodes' base URLs ({@code http://host:port}; without a scheme, {@code http://} is assumed), tried in this
     * order. Adds to those given before.
     */
    public CorralClientBuilder servers(String... urls) {
        for (String url : urls) servers.add(parse(url));
        return this;
    }

    /** As {@link #servers(String...)}. */
    public CorralClientBuilder servers(List<String> urls) {
        return servers(urls.toArray(String[]::new));
    }

    private static URI parse(String url) {
        String u = Objects.requireNonNull(url, "url").trim();
        if (!u.contains("://")) u = "http://" + u;
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        URI uri = URI.create(u);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("a server must be an http(s)://host:port URL, not " + url);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("a server URL has no path or query: " + url);
        }
        return uri;
    }

    /** The session timeout to ask for; the cluster clamps it to its configured range. */
    public CorralClientBuilder sessionTimeout(Duration timeout) {
        this.sessionTimeout = positive(timeout, "sessionTimeout");
        return this;
    }

    /** How long one attempt of a request waits for its answer (retries wait again). */
    public CorralClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout, "requestTimeout");
        return this;
    }

    /** How long a connection to a node may take before the node counts as unreachable. */
    public CorralClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /** How requests are retried when a node cannot be reached or cannot serve. */
    public CorralClientBuilder retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * HTTP Basic credentials sent with every request: the node treats them as ZooKeeper's digest identity for
     * {@code user:password} (see {@link Acl#digest}). Send them only over a network you trust, or https.
     */
    public CorralClientBuilder credentials(String user, String password) {
        if (Objects.requireNonNull(user, "user").isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("a user name is not empty and has no colon");
        }
        this.user = user;
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /** A listener of session states, added before anything can happen. */
    public CorralClientBuilder sessionListener(SessionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The client; it connects lazily, on its first request. */
    public CorralClient build() {
        if (servers.isEmpty()) throw new IllegalStateException("no servers given");
        return new CorralClient(this);
    }

    private static Duration positive(Duration d, String name) {
        if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
        return d;
    }
}
