package org.esfdw.bridge;

import java.util.function.BooleanSupplier;

/**
 * Asks PostgreSQL whether a query cancel or backend termination is pending. The C shim registers
 * pending() with RegisterNatives; where it is not registered (unit tests, a plain JVM) the answer is
 * always false. Tests may plug in their own poller.
 */
public final class PgInterrupts {
    private static final BooleanSupplier NATIVE_OR_NEVER = PgInterrupts::nativeOrNever;

    private static volatile BooleanSupplier poller = NATIVE_OR_NEVER;

    private PgInterrupts() {
    }

    /** Implemented in C (c-shim/jni_bridge.c): true when a cancel or terminate is pending. */
    public static native boolean pending();

    /** True when PostgreSQL wants the current statement to stop. */
    public static boolean requested() {
        return poller.getAsBoolean();
    }

    /** Replaces the poller; null restores the native one. */
    public static void setPoller(BooleanSupplier replacement) {
        poller = replacement == null ? NATIVE_OR_NEVER : replacement;
    }

    private static boolean nativeOrNever() {
        try {
            return pending();
        } catch (UnsatisfiedLinkError notRegistered) {
            poller = () -> false;
            return false;
        }
    }
}
