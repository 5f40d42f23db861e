package dev.corral.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.it.PackagedNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client jar is a library of its own: a program compiled against exactly {@code corral-client.jar} and Jackson's
 * three jars, and run in a child JVM with exactly that class path, talks to a packaged node. It creates, reads, sets,
 * lists and deletes znodes and receives a watch event. The jar must hold nothing but the client's classes.
 */
class ClientJarIT {
    private static final String PROGRAM = """
            import dev.corral.client.*;
            import java.nio.charset.StandardCharsets;
            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.LinkedBlockingQueue;
            import java.util.concurrent.TimeUnit;

            public class ClientJarProgram {
                public static void main(String[] args) throws Exception {
                    try (CorralClient client = CorralClient.builder().servers(args[0]).sessionTimeout(Duration.ofSeconds(10)).build()) {
                        Created created = client.create("/jar", "v1".getBytes(StandardCharsets.UTF_8));
                        System.out.println("created " + created.path() + " version " + created.stat().version());
                        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
                        NodeData read = client.getData("/jar", events::add);
                        System.out.println("read " + read.text());
                        Stat set = client.setData("/jar", "v2".getBytes(StandardCharsets.UTF_8), read.stat().version());
                        System.out.println("set version " + set.version());
                        WatchedEvent event = events.poll(20, TimeUnit.SECONDS);
                        System.out.println("event " + (event == null ? "none" : event.type() + " " + event.path()));
                        client.create("/jar/child", null, CreateMode.EPHEMERAL);
                        System.out.println("children " + client.async().getChildren("/jar").get().names());
                        client.delete("/jar/child");
                        client.delete("/jar", set.version());
                        System.out.println("exists " + (client.exists("/jar") != null));
                        try {
                            client.getData("/jar");
                        } catch (CorralException.NoNodeException e) {
                            System.out.println("error " + e.code());
                        }
                    }
                }
            }
            """;

    @TempDir
    Path work;

    @Test
    void aProgramWithOnlyTheClientJarAndJacksonOnItsClassPathTalksToANode() throws Exception {
        assertOnlyClientClasses(ClientJars.clientJar());
        String cp = ClientJars.classPath();
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path source = Files.writeString(src.resolve("ClientJarProgram.java"), PROGRAM);
        ClientJars.compile(source, cp, classes);

        try (PackagedNode node = PackagedNode.startReady(work.resolve("data"), "ClientJarIT.log")) {
            ClientJars.Ran ran = ClientJars.run(cp + File.pathSeparator + classes, "ClientJarProgram", List.of(node.url()), work,
                    Duration.ofSeconds(60));
            assertEquals(0, ran.code(), () -> "the program failed:\n" + ran.out() + ran.err() + "\nnode:\n" + node.tail(30));
            assertEquals(List.of(
                    "created /jar version 0",
                    "read v1",
                    "set version 1",
                    "event NODE_DATA_CHANGED /jar",
                    "children [child]",
                    "exists false",
                    "error NO_NODE"), ran.out().lines().toList(), () -> "standard error:\n" + ran.err());
        }
    }

    /** The client jar holds the client's classes and the jar's own metadata, nothing else. */
    private static void assertOnlyClientClasses(Path jar) throws IOException {
        List<String> others = new ArrayList<>();
        int classes = 0;
        try (JarFile f = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(f.entries())) {
                String name = e.getName();
                if (name.startsWith("dev/corral/client/") && name.endsWith(".class")) classes++;
                else if (!name.startsWith("META-INF/") && !name.endsWith("/")) others.add(name);
            }
        }
        assertEquals(List.of(), others, "entries of " + jar + " outside dev/corral/client");
        assertTrue(classes > 10, "only " + classes + " client classes in " + jar);
    }
}
