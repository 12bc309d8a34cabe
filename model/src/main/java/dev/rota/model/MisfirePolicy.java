package dev.rota.model;

/** What a new leader does with the scheduled times of a job that passed while nobody was firing. */
public enum MisfirePolicy {
    /** One catch-up fire (for the latest missed time), however many were missed. */
    FIRE_ONCE,
    /** A fire for each missed time, up to the job's cap; the rest are recorded as skipped. */
    FIRE_ALL,
    /** No catch-up; missed times are not fired. */
    SKIP
}
