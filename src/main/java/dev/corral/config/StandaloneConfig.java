package dev.corral.config;

import dev.corral.node.StartRefused;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Corral's configuration read before Quarkus boots, from the sources Quarkus reads at run time (system
 * properties, environment, {@code .env}, {@code config/application.properties}, the packaged
 * {@code application.properties}), so that a mistake is refused in one line naming the property and its
 * environment variable. Quarkus would find the same mistakes only after it had booted Hibernate, and then
 * print them under the log lines it had buffered until then.
 *
 * <p>The ranges come from the {@link Min} and {@link Max} annotations of {@link CorralConfig}, the same that
 * Quarkus validates, so the two cannot disagree.
 */
public final class StandaloneConfig {
    /** What the start-up checks need: Corral's settings and where the HTTP server will listen. */
    public record Settings(CorralConfig corral, String httpHost, int httpPort, boolean httpEnabled) {}

    private static final Pattern CONVERSION = Pattern.compile(
            "The config property (\\S+) with the config value \"(.*)\" threw an Exception whilst being converted (.*)", Pattern.DOTALL);

    private StandaloneConfig() {}

    /** Reads and checks the configuration; a mistake is a {@link StartRefused} naming the property. */
    public static Settings load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        SmallRyeConfig config;
        try {
            config = ConfigUtils.configBuilder()
                    .withSources(PropertiesConfigSourceLoader.inFileSystem(
                            Path.of("config", "application.properties").toUri().toString(), 260, loader))
                    .withSources(DotEnvConfigSourceProvider.dotEnvSources(loader))
                    // Unknown corral.* names are Quarkus' business (it warns about them); this is about values.
                    .withValidateUnknown(false)
                    .withMapping(CorralConfig.class)
                    .build();
        } catch (ConfigValidationException e) {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) problems.add(problem(e.getProblem(i).getMessage()));
            throw new StartRefused(String.join("; ", problems), e);
        } catch (IllegalArgumentException e) {
            throw new StartRefused(problem(e.getMessage()), e);
        }
        CorralConfig corral = config.getConfigMapping(CorralConfig.class);
        checkRanges("corral", CorralConfig.class, corral);
        int port;
        try {
            port = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        } catch (IllegalArgumentException e) {
            throw new StartRefused(problem(e.getMessage()), e);
        }
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
        boolean enabled = config.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true);
        return new Settings(corral, host, port, enabled);
    }

    /** {@code corral.node-id} → {@code CORRAL_NODE_ID}, as SmallRye Config maps environment variables. */
    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** SmallRye's message for a value it cannot convert, said as "property (VARIABLE): "value" is not valid: why". */
    static String problem(String message) {
        String m = message.replaceFirst("^[\\w.]+(Exception|Error): ", "").replaceAll("SRCFG\\d+: ", "");
        Matcher c = CONVERSION.matcher(m);
        if (c.matches()) {
            return c.group(1) + " (" + environmentName(c.group(1)) + "): \"" + c.group(2) + "\" is not valid: "
                    + c.group(3).replaceFirst("^[\\w.]+(Exception|Error): ", "").strip();
        }
        return m.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    /** Walks the mapping like Quarkus' validator would, checking every {@link Min} and {@link Max}. */
    private static void checkRanges(String prefix, Class<?> type, Object group) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0) continue;
            String property = prefix + "." + kebab(m.getName());
            Object value = invoke(m, group);
            if (m.getReturnType().isInterface() && m.getReturnType().getDeclaringClass() == CorralConfig.class) {
                checkRanges(property, m.getReturnType(), value);
                continue;
            }
            Min min = m.getAnnotation(Min.class);
            Max max = m.getAnnotation(Max.class);
            if ((min == null && max == null) || !(value instanceof Number n)) continue;
            long v = n.longValue();
            if ((min != null && v < min.value()) || (max != null && v > max.value())) {
                String range = min != null && max != null ? "between " + min.value() + " and " + max.value()
                        : min != null ? "at least " + min.value() : "at most " + max.value();
                throw new StartRefused(property + " (" + environmentName(property) + ") is " + v + "; it must be " + range);
            }
        }
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + m, e);
        }
    }

    /** {@code dataBytesMax} → {@code data-bytes-max}, SmallRye's default naming. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
