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

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (TestPostgres.required()) return ConditionEvaluationResult.enabled("CORRAL_TEST_PG_REQUIRED=1");
            synchronized (Condition.class) {
                if (reachable == null) reachable = TestPostgres.reachable();
            }
            return reachable ? ConditionEvaluationResult.enabled("PostgreSQL reachable at " + TestPostgres.URL)
                    : ConditionEvaluationResult.disabled("no PostgreSQL at " + TestPostgres.URL + " (run .ci/postgres-up.sh)");
        }
    }
}
