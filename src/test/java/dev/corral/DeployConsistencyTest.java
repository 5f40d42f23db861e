package dev.corral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/}: the image and the Kubernetes manifest agree on the user the node runs as and on its data
 * directory, so that the node can create and write its database there.
 *
 * <p>What this proves, and what not: it reads the two files as text and YAML, with no Docker engine or
 * Kubernetes; it shows that they name the same non-root uid and gid, that the image creates the data directory
 * owned by that user and declares it a volume, that the pod runs as that user with {@code fsGroup} set so the
 * mounted volume is writable by it, and that a read-only root filesystem comes with a writable {@code /tmp}.
 * It does not prove that the image builds or that a cluster runs it. (StartupRefusalIT shows what the node
 * says when its data directory is not writable by its user.)
 */
class DeployConsistencyTest {
    private static final Path DOCKERFILE = Path.of("deploy/Dockerfile.jvm");
    private static final Path MANIFEST = Path.of("deploy/kubernetes/corral-single.yaml");

    /** What the Dockerfile says about the user and the data directory. */
    record Image(int uid, int gid, String dataDir, List<String> volumes, List<String> runs) {
        static Image read(String dockerfile) {
            Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)(?::(\\d+))?\\s*$").matcher(dockerfile);
            assertTrue(user.find(), "the Dockerfile should set a numeric USER (uid:gid)");
            int uid = Integer.parseInt(user.group(1));
            int gid = user.group(2) == null ? uid : Integer.parseInt(user.group(2));
            Matcher env = Pattern.compile("(?m)^ENV\\s+CORRAL_DATA_DIR[=\\s]+(\\S+)\\s*$").matcher(dockerfile);
            assertTrue(env.find(), "the Dockerfile should set CORRAL_DATA_DIR");
            List<String> volumes = new ArrayList<>();
            Matcher volume = Pattern.compile("(?m)^VOLUME\\s+(.+)$").matcher(dockerfile);
            while (volume.find()) {
                for (String v : volume.group(1).replaceAll("[\\[\\]\",]", " ").trim().split("\\s+")) volumes.add(v);
            }
            List<String> runs = new ArrayList<>();
            Matcher run = Pattern.compile("(?m)^RUN\\s+(.+)$").matcher(dockerfile);
            while (run.find()) runs.add(run.group(1));
            return new Image(uid, gid, env.group(1), volumes, runs);
        }
    }

    @Test
    void imageAndStatefulSetRunTheNodeAsOneNonRootUserThatOwnsTheDataDirectory() throws IOException {
        Image image = Image.read(Files.readString(DOCKERFILE));
        assertNotEquals(0, image.uid(), "the node should not run as root");
        assertTrue(image.volumes().contains(image.dataDir()), "the data directory " + image.dataDir() + " should be a VOLUME: " + image.volumes());
        String owner = image.uid() + ":" + image.gid();
        assertTrue(image.runs().stream().anyMatch(r -> r.matches(".*mkdir -p " + Pattern.quote(image.dataDir()) + "\\b.*")
                        && r.matches(".*chown " + Pattern.quote(owner) + " " + Pattern.quote(image.dataDir()) + "\\b.*")),
                "the image should create " + image.dataDir() + " owned by " + owner + ": " + image.runs());

        JsonNode pod = statefulSet().path("spec").path("template").path("spec");
        JsonNode security = pod.path("securityContext");
        assertEquals(image.uid(), security.path("runAsUser").asInt(-1), "runAsUser");
        assertEquals(image.gid(), security.path("runAsGroup").asInt(-1), "runAsGroup");
        assertTrue(security.path("runAsNonRoot").asBoolean(false), "runAsNonRoot");
        assertEquals(image.gid(), security.path("fsGroup").asInt(-1), "fsGroup: the data volume must be writable by the node's group");

        JsonNode container = corral(pod);
        assertEquals(image.dataDir(), env(container, "CORRAL_DATA_DIR"), "the manifest and the image should use one data directory");
        String dataVolume = mountAt(container, image.dataDir());
        List<String> claims = StreamSupport.stream(statefulSet().path("spec").path("volumeClaimTemplates").spliterator(), false)
                .map(c -> c.path("metadata").path("name").asText()).toList();
        assertTrue(claims.contains(dataVolume), "the data directory should be a persistent volume claim, is " + dataVolume);
    }

    @Test
    void aReadOnlyRootFilesystemComesWithAWritableTmp() throws IOException {
        JsonNode pod = statefulSet().path("spec").path("template").path("spec");
        JsonNode container = corral(pod);
        assertFalse(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation");
        if (!container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false)) return;
        String tmp = mountAt(container, "/tmp");
        JsonNode volume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals(tmp)).findFirst().orElseThrow(() -> new AssertionError("no volume " + tmp));
        assertTrue(volume.has("emptyDir"), "/tmp should be an emptyDir: " + volume);
    }

    private static JsonNode statefulSet() throws IOException {
        try (var docs = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(MANIFEST))) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if ("StatefulSet".equals(doc.path("kind").asText())) return doc;
            }
        }
        throw new AssertionError("no StatefulSet in " + MANIFEST);
    }

    private static JsonNode corral(JsonNode pod) {
        return StreamSupport.stream(pod.path("containers").spliterator(), false).filter(c -> c.path("name").asText().equals("corral"))
                .findFirst().orElseThrow(() -> new AssertionError("no container named corral"));
    }

    private static String env(JsonNode container, String name) {
        return StreamSupport.stream(container.path("env").spliterator(), false).filter(e -> e.path("name").asText().equals(name))
                .map(e -> e.path("value").asText()).findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    /** The name of the volume mounted at {@code path}. */
    private static String mountAt(JsonNode container, String path) {
        return StreamSupport.stream(container.path("volumeMounts").spliterator(), false).filter(m -> m.path("mountPath").asText().equals(path))
                .map(m -> m.path("name").asText()).findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }
}
