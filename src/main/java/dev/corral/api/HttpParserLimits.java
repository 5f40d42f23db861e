package dev.corral.api;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Moves the HTTP parser's own stops for the request line and headers to {@link #SLACK} times the configured
 * {@code quarkus.http.limits.max-initial-line-length} and {@code max-header-size}, which {@link HttpGate}
 * enforces with a JSON answer.
 *
 * <p>Why: Vert.x refuses a request over the parser's limits while decoding it, before any route runs, with
 * an empty 414 or 431 and a closed connection. Vert.x has a hook for such requests
 * ({@code HttpServer.invalidRequestHandler}) but Quarkus 3.34 creates and starts its servers without
 * exposing them, so no application code can set it. With the parser's stop above the configured limit, a
 * request that is over the limit, but not absurdly so, reaches the gate and learns why it is refused; only a
 * request over {@link #SLACK} times the limit still gets the parser's empty answer. The memory a connection
 * may hold while its head is parsed grows by the same factor (about 4 × (8 + 16) KiB with the defaults).
 */
@ApplicationScoped
public class HttpParserLimits implements HttpServerOptionsCustomizer {
    static final int SLACK = 4;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        widen(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        widen(options);
    }

    @Override
    public void customizeDomainSocketServer(HttpServerOptions options) {
        widen(options);
    }

    private static void widen(HttpServerOptions options) {
        options.setMaxInitialLineLength(widened(options.getMaxInitialLineLength()));
        options.setMaxHeaderSize(widened(options.getMaxHeaderSize()));
    }

    private static int widened(int limit) {
        return (int) Math.min(Integer.MAX_VALUE, (long) limit * SLACK);
    }
}
