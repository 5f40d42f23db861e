package dev.corral;

import io.quarkus.runtime.annotations.QuarkusMain;
import java.lang.reflect.InvocationTargetException;

/**
 * The entry point of {@code java -jar quarkus-run.jar [command]}, and the first class of Corral that a JVM
 * loads: Quarkus' {@code QuarkusEntryPoint} (compiled for Java 17) loads it by name. It is compiled for Java 17
 * too (pom.xml, execution {@code java17-entry-point}), so that an older Java can load it and say that Corral
 * needs Java {@value #JAVA_FEATURE_MIN}, instead of failing with {@code UnsupportedClassVersionError} on a
 * class compiled for {@value #JAVA_FEATURE_MIN}.
 *
 * <p>So it must never name another Corral class in its code: everything else is reached by name, once the
 * Java version is known to be right. The commands themselves are in {@code CorralCommands}.
 */
@QuarkusMain
public final class CorralMain {
    /** The Java feature release the rest of Corral is compiled for (maven.compiler.release in pom.xml). */
    static final int JAVA_FEATURE_MIN = 25;
    /** As {@code dev.corral.node.StartRefused.EXIT_CODE}. */
    static final int REFUSED_EXIT_CODE = 2;

    private CorralMain() {}

    public static void main(String... args) throws Throwable {
        Runtime.Version running = Runtime.version();
        if (running.feature() < JAVA_FEATURE_MIN) {
            System.err.println("Corral cannot start: Corral needs Java " + JAVA_FEATURE_MIN + " or newer, but this is Java "
                    + running + " (" + System.getProperty("java.home") + "); run it with a JDK " + JAVA_FEATURE_MIN
                    + " (set JAVA_HOME, or put its bin directory first on the PATH)");
            System.exit(REFUSED_EXIT_CODE);
        }
        try {
            Class.forName("dev.corral.CorralCommands").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
