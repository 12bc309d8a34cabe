package dev.rota.admin;

import java.util.List;

/**
 * One page of a list. {@code next} is the opaque cursor of the following page, or null on the last one.
 */
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(items);
    }
}
