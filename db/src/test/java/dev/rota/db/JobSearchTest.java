package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** The job-name search ("q") finds substrings, escapes LIKE's wildcards, and is served by the trigram index. */
class JobSearchTest extends DatabaseTest {

    private Set<String> search(String text) {
        return db.admin().jobs(new JobFilter(null, null, null, text, null, null, 100)).stream()
                .map(JobDefinition::name).collect(Collectors.toSet());
    }

    @Test
    void aSubstringMatchesAnywhereInTheNameIgnoringCaseAndWildcardsAreLiteral() {
        sql("INSERT INTO job (name, cron, task_type) VALUES ('Nightly-Report', '0 0 1 * * ?', 'r'),"
                + " ('report_eu', '0 0 1 * * ?', 'r'), ('reportXeu', '0 0 1 * * ?', 'r'), ('100%-done', '0 0 1 * * ?', 'r')");

        assertThat(search("REPORT")).containsExactlyInAnyOrder("Nightly-Report", "report_eu", "reportXeu");
        assertThat(search("t_e")).as("_ is a character, not a wildcard").containsExactly("report_eu");
        assertThat(search("0%")).as("%% is a character, not a wildcard").containsExactly("100%-done");
    }

    @Test
    void theSearchIsATrigramIndexScanAtAHundredThousandJobs() {
        sql("INSERT INTO job (name, cron, task_type) SELECT 'job-' || g, '0 0 1 * * ?', 'r'"
                + " FROM generate_series(1, 100000) g");
        sql("ANALYZE job");
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'job_name_trgm_idx'"))
                .isEqualTo(1);
        // The same condition the admin layer builds (jOOQ's containsIgnoreCase), rendered for PostgreSQL.
        String query = DSL.using(SQLDialect.POSTGRES).renderInlined(DSL.selectFrom(DSL.table("job"))
                .where(DSL.field("name", String.class).containsIgnoreCase("job-4242"))
                .orderBy(DSL.field("team"), DSL.field("name")).limit(50));
        List<String> plan = rows("EXPLAIN " + query).stream().map(r -> String.valueOf(r.values().iterator().next()))
                .toList();

        assertThat(String.join("\n", plan)).as(query).contains("job_name_trgm_idx");
        assertThat(search("job-4242")).hasSize(11).contains("job-4242", "job-42429");
    }
}
