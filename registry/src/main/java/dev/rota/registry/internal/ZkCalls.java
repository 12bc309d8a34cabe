package dev.rota.registry.internal;

import dev.rota.registry.RegistryException;

/** Runs a blocking Curator call and turns its checked exceptions into {@link RegistryException}. */
final class ZkCalls {

    /** A Curator call; Curator declares {@code throws Exception} on nearly everything. */
    @FunctionalInterface
    interface ZkCall<T> {
        T call() throws Exception;
    }

    private ZkCalls() {
    }

    /**
     * @param what what the call does, phrased to follow "cannot" or "interrupted while", e.g. "read settings"
     * @throws RegistryException on failure; on interrupt the thread's interrupt flag is set again
     */
    static <T> T call(String what, ZkCall<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while trying to " + what, e);
        } catch (RegistryException e) {
            throw e;
        } catch (Exception e) {
            throw new RegistryException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
