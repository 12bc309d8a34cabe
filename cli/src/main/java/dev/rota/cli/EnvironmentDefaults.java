package dev.rota.cli;

import java.lang.reflect.AnnotatedElement;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Supplies the defaults of {@link Env}-annotated options from an environment map, so that flags and
 * environment variables mean the same thing and a flag always wins. The map is injected (the process
 * environment in production, a plain map in tests). Options without the annotation, or whose variable is
 * unset or blank, keep their annotated {@code defaultValue}.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
    private final Map<String, String> env;

    public EnvironmentDefaults(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        String variable = variableOf(argSpec);
        if (variable == null) {
            return null;
        }
        String value = env.get(variable);
        return value == null || value.isBlank() ? null : value;
    }

    /** A variable of the environment, or null when unset or blank (for secrets that have no flag). */
    public String variable(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** The environment variable an option reads its default from, or null. */
    public static String variableOf(ArgSpec argSpec) {
        if (argSpec.userObject() instanceof AnnotatedElement element) {
            Env env = element.getAnnotation(Env.class);
            return env == null ? null : env.value();
        }
        return null;
    }
}
