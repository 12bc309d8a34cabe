package dev.rota.model;

import java.util.List;

/**
 * What one message on the results queue carried: either a single {@link ResultMessage} object (every
 * worker may send these) or a JSON array of them (a worker batching its results). An array element
 * that is not a valid result does not spoil the others: it is listed in {@code rejected}.
 *
 * @param results  the valid results, in the message's order
 * @param rejected the invalid elements of an array: their JSON text and why they were refused
 */
public record ResultBatch(List<ResultMessage> results, List<Rejected> rejected) {

    /** An array element that was not a valid result. */
    public record Rejected(String json, String reason) {
    }

    public ResultBatch {
        results = List.copyOf(results);
        rejected = List.copyOf(rejected);
    }
}
