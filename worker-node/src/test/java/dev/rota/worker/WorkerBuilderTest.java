package dev.rota.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Unit tests: building never touches the network. */
class WorkerBuilderTest {

    @Test
    void defaultsNeedNothingButAreOverridable() {
        WorkerConfig config = new WorkerBuilder().build().config();

        assertThat(config.zkConnect()).isEqualTo(WorkerConfig.DEFAULT_ZK_CONNECT);
        assertThat(config.namespace()).isEqualTo("default");
        assertThat(config.capacity()).isEqualTo(16);
        assertThat(config.prefetch()).as("the capacity: a delivery always finds a free thread").isEqualTo(16);
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.settingsTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.zkSessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.taskTypes()).containsExactlyInAnyOrder("noop", "sleep", "log", "fail");
        assertThat(config.workerId()).matches("[A-Za-z0-9][A-Za-z0-9_-]*-" + ProcessHandle.current().pid()
                + "-[0-9a-f]{4}");
    }

    @Test
    void aPrefetchBelowTheCapacityIsAnErrorNamingBoth() {
        assertThat(new WorkerBuilder().capacity(4).build().config().prefetch()).isEqualTo(4);
        assertThat(new WorkerBuilder().capacity(4).prefetch(8).build().config().prefetch()).isEqualTo(8);
        assertThatThrownBy(() -> new WorkerBuilder().capacity(8).prefetch(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefetch must be between the capacity (8) and 65535, was 4");
        assertThatThrownBy(() -> new WorkerBuilder().prefetch(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefetch must be between 1 and 65535, was 70000");
    }

    @Test
    void everyWorkerGetsItsOwnDefaultId() {
        assertThat(new WorkerBuilder().build().id()).isNotEqualTo(new WorkerBuilder().build().id());
    }

    @Test
    void requestedTypeWithoutHandlerIsAnErrorNamingIt() {
        assertThatThrownBy(() -> new WorkerBuilder().taskTypes("noop", "resize-images").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no handler for task type(s) [resize-images]")
                .hasMessageContaining("noop");
    }

    @Test
    void handlerInCodeAddsATypeAndReplacesABuiltIn() {
        TaskHandler mine = context -> "mine";
        WorkerConfig config = new WorkerBuilder().handler("report", mine).handler("noop", mine).build().config();

        assertThat(config.taskTypes()).contains("report", "noop", "sleep");
    }

    @Test
    void withoutDiscoveryOnlyCodeHandlersCount() {
        assertThat(new WorkerBuilder().discoverHandlers(false).handler("report", c -> null).build().config()
                .taskTypes()).containsExactly("report");
        assertThatThrownBy(() -> new WorkerBuilder().discoverHandlers(false).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no task handlers");
    }

    @Test
    void settersRejectBadValuesByName() {
        WorkerBuilder builder = new WorkerBuilder();
        assertThatThrownBy(() -> builder.capacity(0)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> builder.shutdownGrace(Duration.ofSeconds(-1))).hasMessageContaining("shutdownGrace");
        assertThatThrownBy(() -> builder.settingsTimeout(Duration.ZERO)).hasMessageContaining("settingsTimeout");
        assertThatThrownBy(() -> builder.zkSessionTimeout(null)).hasMessageContaining("zkSessionTimeout");
        assertThatThrownBy(() -> builder.namespace("a.b")).hasMessageContaining("namespace");
        assertThatThrownBy(() -> builder.workerId("")).hasMessageContaining("workerId");
        assertThatThrownBy(() -> builder.zkConnect(" ")).hasMessageContaining("zkConnect");
        assertThatThrownBy(() -> builder.handler("bad type", c -> null)).hasMessageContaining("task type");
        assertThatThrownBy(() -> builder.taskTypes()).hasMessageContaining("taskTypes");
    }

    @Test
    void zeroGraceIsAllowed() {
        assertThat(new WorkerBuilder().shutdownGrace(Duration.ZERO).build().config().shutdownGrace()).isZero();
    }
}
