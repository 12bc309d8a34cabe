package dev.rota.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    private static final String SIXTY_THREE = "a".repeat(63);

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "7", "report", "nightly_report", "team-42", "A_b-C", "0-starts-with-digit",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void valid(String name) {
        assertThat(Names.isValid(name)).isTrue();
        assertThat(Names.requireValid("task type", name)).isSameAs(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "-leading-dash", "_leading_underscore", "has.dot", "has space", "slash/path",
            "star*", "umlaut-ä", "tab\t", "new\nline",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void invalid(String name) {
        assertThat(Names.isValid(name)).isFalse();
        assertThatThrownBy(() -> Names.requireValid("task type", name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("task type '" + name + "' is invalid")
                .hasMessageContaining("1 to 63");
    }

    @org.junit.jupiter.api.Test
    void lengthLimitIsSixtyThree() {
        assertThat(SIXTY_THREE).hasSize(63);
        assertThat(Names.isValid(SIXTY_THREE)).isTrue();
        assertThat(Names.isValid(SIXTY_THREE + "a")).isFalse();
    }
}
