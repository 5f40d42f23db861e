package dev.corral.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs a test class only where the test PostgreSQL is reachable, or always where it is required (CI). */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EnabledWithPostgres.Condition.class)
public @interface EnabledWithPostgres {
    final class Condition implements ExecutionCondition {
        private static Boolean reachable;
        private static boolean announced;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (TestPostgres.required()) return ConditionEvaluationResult.enabled("CORRAL_TEST_PG_REQUIRED=1");
            synchronized (Condition.class) {
                if (reachable == null) reachable = TestPostgres.reachable();
            }
            if (reachable) return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + TestPostgres.URL);
            announceSkipOnce();
            return ConditionEvaluationResult.disabled("no PostgreSQL at " + TestPostgres.URL + " (run .ci/postgres-up.sh)");
        }

        /**
         * Says once per test JVM, on the console, that the PostgreSQL tests are skipped and how to run them:
         * otherwise the build only counts skipped tests, and nothing says why.
         */
        private static void announceSkipOnce() {
            synchronized (Condition.class) {
                if (announced) return;
                announced = true;
            }
            System.out.println("[corral] PostgreSQL tests SKIPPED: no PostgreSQL at " + TestPostgres.URL + " (user " + TestPostgres.USER
                    + "). To run them: .ci/postgres-up.sh, or set CORRAL_TEST_PG_URL (and CORRAL_TEST_PG_USER/_PASSWORD)"
                    + " to a database the tests may wipe.");
        }
    }
}
