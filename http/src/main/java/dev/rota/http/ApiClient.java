package dev.rota.http;

import dev.rota.admin.Admin;
import dev.rota.admin.Principal;
import dev.rota.http.internal.HttpAdmin;

/** An {@link Admin} that calls a master's HTTP API with a token; for the CLI's {@code --api} mode. */
public final class ApiClient {
    private ApiClient() {
    }

    /** The admin layer behind {@code url} (e.g. {@code http://master-1:8080}), acting as the token's principal. */
    public static Admin connect(String url, String token) {
        return new HttpAdmin(url, token);
    }

    /** Who a token stands for, asked of the server. */
    public static Principal whoAmI(Admin client) {
        return ((HttpAdmin) client).me();
    }
}
