package dev.corral.testing;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Test applications only: with {@code corral-test.send-buffer-bytes} set, the HTTP server's sockets get that kernel send
 * buffer instead of the autotuned one (megabytes per connection), so that bytes a client does not read wait inside the
 * process, where a test can measure them.
 */
@ApplicationScoped
public class SendBufferCustomizer implements HttpServerOptionsCustomizer {
    @ConfigProperty(name = "corral-test.send-buffer-bytes")
    Optional<Integer> sendBufferBytes;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        sendBufferBytes.ifPresent(options::setSendBufferSize);
    }
}
