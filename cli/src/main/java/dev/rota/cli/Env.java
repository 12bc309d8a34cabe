package dev.rota.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an option field whose default comes from an environment variable when that variable is set and
 * not blank; {@link EnvironmentDefaults} reads it. The option's {@code defaultValue} applies otherwise.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Env {
    /** The variable's name, e.g. {@code ROTA_ZK}. */
    String value();
}
