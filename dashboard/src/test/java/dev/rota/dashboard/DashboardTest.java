package dev.rota.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DashboardTest {

    @Test
    void theRootIsTheEntryPageAndModulesAreJavaScript() {
        Dashboard.Asset index = Dashboard.asset("/").orElseThrow();
        assertThat(index.path()).isEqualTo("index.html");
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(new String(index.bytes(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"js/app.js\">");

        Dashboard.Asset app = Dashboard.asset("/js/views/overview.js").orElseThrow();
        assertThat(app.contentType()).startsWith("text/javascript");
        assertThat(Dashboard.asset("app.css").orElseThrow().contentType()).startsWith("text/css");
    }

    @Test
    void nothingOutsideTheDashboardDirectoryCanBeNamed() {
        assertThat(Dashboard.asset("/../Dashboard.class")).isEmpty();
        assertThat(Dashboard.asset("/js/../../static/index.html")).isEmpty();
        assertThat(Dashboard.asset("/%2e%2e/index.html")).isEmpty();
        assertThat(Dashboard.asset("/.hidden.js")).isEmpty();
        assertThat(Dashboard.asset("/js/app.class")).isEmpty();
        assertThat(Dashboard.asset("/js/missing.js")).isEmpty();
    }

    @Test
    void everyModuleTheAppImportsIsPackaged() {
        String app = new String(Dashboard.asset("js/app.js").orElseThrow().bytes(), StandardCharsets.UTF_8);
        var imports = java.util.regex.Pattern.compile("import\\('\\./(views/[a-z]+\\.js)'\\)").matcher(app);
        int found = 0;
        while (imports.find()) {
            found++;
            assertThat(Dashboard.asset("js/" + imports.group(1))).as(imports.group(1)).isPresent();
        }
        assertThat(found).isGreaterThanOrEqualTo(9);
    }
}
