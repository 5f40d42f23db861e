package dev.corral.client.recipes;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The threads of a long-lived recipe (election, membership, configuration watcher). Its work runs on one thread, so
 * that its state has a single writer: watchers and session listeners, which run on the client's event thread, only
 * ask for a step ({@link #requestStep}), and the step itself may block on the client. Requests made while a step is
 * queued and not yet started are merged into it. The user's listeners run on a second thread ({@link #tell}), in the
 * order the recipe's state changed, and never under a lock of the recipe: a listener may call back into the recipe,
 * even close it, and a step blocked on a slow cluster does not delay the news that the role was lost.
 */
final class RecipeThread {
    private static final System.Logger LOG = System.getLogger("dev.corral.client.recipes");
    /** The longest wait before a step that failed is tried again. */
    static final long RETRY_DELAY_MAX_MS = 1000;

    private final ScheduledExecutorService executor;
    private final ExecutorService listeners;
    private final Runnable step;
    private final AtomicBoolean stepQueued = new AtomicBoolean();
    private volatile Thread thread;

    RecipeThread(String name, Runnable step) {
        this.step = step;
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = e;
        this.listeners = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-listener");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code call} (a listener call) on the listener thread, after those told before. */
    void tell(Runnable call) {
        try {
            listeners.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a recipe listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: nobody listens any more.
        }
    }

    /** Runs a step soon, unless one is already queued. Callable from any thread; does nothing once closed. */
    void requestStep() {
        if (!stepQueued.compareAndSet(false, true)) return;
        submit(this::runStep, 0);
    }

    /** Runs a step after {@code delayMs}, for a step that failed and must be tried again. */
    void requestStepAfter(long delayMs) {
        submit(this::requestStep, delayMs);
    }

    /** The delay before retry {@code attempt} (from 0): 50 ms doubling, at most {@link #RETRY_DELAY_MAX_MS}. */
    static long retryDelayMs(int attempt) {
        return Math.min(RETRY_DELAY_MAX_MS, 50L << Math.min(attempt, 10));
    }

    private void runStep() {
        stepQueued.set(false);
        step.run();
    }

    private void submit(Runnable task, long delayMs) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a recipe step failed unexpectedly on " + Thread.currentThread().getName(), e);
            }
        };
        try {
            executor.schedule(guarded, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: the recipe has stopped.
        }
    }

    boolean inThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on this thread (at once if called from it) and waits at most {@code timeout} for its result;
     * its exception is rethrown here.
     */
    <T> T call(Callable<T> task, Duration timeout) {
        if (inThread()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f;
        try {
            f = executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the recipe is closed", e);
        }
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the recipe's thread did not finish within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops taking tasks; the task running (if any) finishes, queued steps are dropped, told listeners still run. */
    void close() {
        executor.shutdown();
        listeners.shutdown();
    }
}
