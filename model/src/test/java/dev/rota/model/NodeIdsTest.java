package dev.rota.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeIdsTest {
    @Test
    void defaultIdsAreValidNamesEvenForOddHostNames() {
        assertThat(NodeIds.sanitize("build-7.ci.example.com")).isEqualTo("build-7-ci-example-com");
        assertThat(NodeIds.sanitize("_.")).isEqualTo("host");
        assertThat(NodeIds.sanitize("h".repeat(100))).hasSize(40);
        assertThat(Names.isValid(NodeIds.generate("master-"))).isTrue();
        assertThat(NodeIds.generate("master-")).startsWith("master-");
    }
}
