package dev.rota.model;

import static dev.rota.model.RunState.CANCELLED;
import static dev.rota.model.RunState.DEAD;
import static dev.rota.model.RunState.FAILED;
import static dev.rota.model.RunState.QUEUED;
import static dev.rota.model.RunState.RUNNING;
import static dev.rota.model.RunState.SCHEDULED;
import static dev.rota.model.RunState.SKIPPED;
import static dev.rota.model.RunState.SUCCEEDED;
import static dev.rota.model.RunState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunStateTest {
    /** The documented table, written out independently of the implementation. */
    private static final Map<RunState, Set<RunState>> EXPECTED = Map.of(
            SCHEDULED, EnumSet.of(QUEUED, CANCELLED, SKIPPED),
            QUEUED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, DEAD, SCHEDULED, QUEUED, SKIPPED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, DEAD, SCHEDULED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(RunState.class),
            FAILED, EnumSet.of(SCHEDULED),
            TIMED_OUT, EnumSet.of(SCHEDULED),
            CANCELLED, EnumSet.of(SCHEDULED),
            SKIPPED, EnumSet.noneOf(RunState.class),
            DEAD, EnumSet.of(SCHEDULED));

    @Test
    void everyPairFollowsTheTable() {
        for (RunState from : RunState.values()) {
            for (RunState to : RunState.values()) {
                boolean allowed = EXPECTED.get(from).contains(to);
                assertThat(from.canTransitionTo(to)).as("%s -> %s", from, to).isEqualTo(allowed);
                if (allowed) {
                    assertThat(from.transitionTo(to)).isSameAs(to);
                } else {
                    assertThatThrownBy(() -> from.transitionTo(to))
                            .as("%s -> %s", from, to)
                            .isInstanceOf(IllegalRunTransitionException.class)
                            .hasMessage("illegal run transition " + from + " -> " + to)
                            .satisfies(e -> {
                                IllegalRunTransitionException ex = (IllegalRunTransitionException) e;
                                assertThat(ex.from()).isEqualTo(from);
                                assertThat(ex.to()).isEqualTo(to);
                            });
                }
            }
        }
    }

    @Test
    void sampleOfForbiddenTransitions() {
        assertThatThrownBy(() -> SCHEDULED.transitionTo(RUNNING)).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> SCHEDULED.transitionTo(SUCCEEDED)).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> RUNNING.transitionTo(SKIPPED)).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> SUCCEEDED.transitionTo(SCHEDULED)).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> SKIPPED.transitionTo(QUEUED)).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> DEAD.transitionTo(QUEUED)).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> FAILED.transitionTo(SUCCEEDED)).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> CANCELLED.transitionTo(RUNNING)).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> TIMED_OUT.transitionTo(TIMED_OUT)).isInstanceOf(IllegalRunTransitionException.class);
    }

    @ParameterizedTest
    @EnumSource(RunState.class)
    void finalStatesLeaveOnlyByRerunToScheduled(RunState state) {
        if (!state.isFinal()) {
            return;
        }
        Set<RunState> targets = EnumSet.noneOf(RunState.class);
        for (RunState to : RunState.values()) {
            if (state.canTransitionTo(to)) {
                targets.add(to);
            }
        }
        if (state.isRerunnable()) {
            assertThat(targets).containsExactly(SCHEDULED);
        } else {
            assertThat(targets).isEmpty();
        }
    }

    @Test
    void succeededAndSkippedAreTerminal() {
        assertThat(SUCCEEDED.isFinal()).isTrue();
        assertThat(SKIPPED.isFinal()).isTrue();
        assertThat(SUCCEEDED.isRerunnable()).isFalse();
        assertThat(SKIPPED.isRerunnable()).isFalse();
        for (RunState to : RunState.values()) {
            assertThat(SUCCEEDED.canTransitionTo(to)).as("SUCCEEDED -> %s", to).isFalse();
            assertThat(SKIPPED.canTransitionTo(to)).as("SKIPPED -> %s", to).isFalse();
        }
    }

    @Test
    void finalInFlightAndRerunnableSets() {
        Set<RunState> fin = EnumSet.noneOf(RunState.class);
        Set<RunState> inFlight = EnumSet.noneOf(RunState.class);
        Set<RunState> rerunnable = EnumSet.noneOf(RunState.class);
        for (RunState s : RunState.values()) {
            if (s.isFinal()) {
                fin.add(s);
            }
            if (s.isInFlight()) {
                inFlight.add(s);
            }
            if (s.isRerunnable()) {
                rerunnable.add(s);
            }
        }
        assertThat(fin).containsExactlyInAnyOrder(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, SKIPPED, DEAD);
        assertThat(inFlight).containsExactlyInAnyOrder(QUEUED, RUNNING);
        assertThat(rerunnable).containsExactlyInAnyOrder(FAILED, TIMED_OUT, CANCELLED, DEAD);
        assertThat(rerunnable).allMatch(RunState::isFinal);
    }

    @Test
    void sourcesOfListsExactlyTheStatesThatMayEnter() {
        for (RunState target : RunState.values()) {
            Set<RunState> expected = EnumSet.noneOf(RunState.class);
            EXPECTED.forEach((from, tos) -> {
                if (tos.contains(target)) {
                    expected.add(from);
                }
            });
            assertThat(RunState.sourcesOf(target)).as("sources of %s", target).isEqualTo(expected);
        }
        assertThat(RunState.sourcesOf(SKIPPED)).containsExactlyInAnyOrder(SCHEDULED, QUEUED);
        assertThat(RunState.sourcesOf(SCHEDULED))
                .containsExactlyInAnyOrder(QUEUED, RUNNING, FAILED, TIMED_OUT, CANCELLED, DEAD);
        assertThat(RunState.sourcesOf(RUNNING)).containsExactly(QUEUED);
    }
}
