package dev.rota.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an ISO-8601 instant, {@code 2026-12-24T18:00:00Z}, or one with an offset, {@code ...T19:00:00+01:00}. */
final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not an ISO-8601 instant such as 2026-12-24T18:00:00Z"
                    + " or 2026-12-24T19:00:00+01:00");
        }
    }
}
