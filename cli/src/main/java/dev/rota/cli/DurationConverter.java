package dev.rota.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way people type them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1d},
 * combinations such as {@code 1m30s}, or ISO-8601 such as {@code PT10S}. Negative durations are rejected.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    private static final Pattern SHORT = Pattern.compile("(?:\\d{1,12}(?:ms|s|m|h|d))+");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * @throws TypeConversionException naming the value and the accepted forms
     */
    public static Duration parse(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (SHORT.matcher(text).matches()) {
            Duration total = Duration.ZERO;
            Matcher part = PART.matcher(text);
            while (part.find()) {
                total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
            }
            return total;
        }
        if (text.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // Falls through to the message that lists the accepted forms.
            }
        }
        throw new TypeConversionException("'" + value + "' is not a duration: use a number with a unit"
                + " (500ms, 10s, 2m, 1h, 1d, 1m30s) or ISO-8601 (PT10S)");
    }

    private static Duration unit(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalStateException("unit " + unit);
        };
    }

    /** Prints a duration the way {@link #parse} reads it back, e.g. {@code 1m30s} or {@code 500ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long days = d.toDaysPart();
        if (days > 0) {
            b.append(days).append('d');
        }
        append(b, d.toHoursPart(), "h");
        append(b, d.toMinutesPart(), "m");
        append(b, d.toSecondsPart(), "s");
        append(b, d.toMillisPart(), "ms");
        return b.toString();
    }

    private static void append(StringBuilder b, long amount, String unit) {
        if (amount > 0) {
            b.append(amount).append(unit);
        }
    }
}
