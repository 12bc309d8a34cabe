package dev.rota.admin.internal;

import dev.rota.admin.Admin;
import dev.rota.admin.HeldMessage;
import dev.rota.db.AdminQueries;
import dev.rota.db.BrokerClients;
import dev.rota.db.ParkedMessages;
import dev.rota.db.RunView;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parked and rejected messages as operators read them: the body as text, cut to
 * {@link Admin#MAX_HELD_BODY_CHARS}, and the run it names, when that run exists, so a list can offer a
 * re-run. The run id is read as text ({@code "runId": 42}, the first one), since a held message is
 * often not valid JSON, or cut.
 */
final class HeldMessages {
    private static final Pattern RUN_ID = Pattern.compile("\"runId\"\\s*:\\s*(\\d{1,18})");

    private HeldMessages() {
    }

    static List<HeldMessage> parked(List<ParkedMessages.Parked> rows, AdminQueries queries) {
        List<HeldMessage> out = new ArrayList<>(rows.size());
        Map<Long, RunView> runs = queries.runsById(runIds(rows.stream().map(p -> text(p.body())).toList()));
        for (ParkedMessages.Parked p : rows) {
            String body = text(p.body());
            out.add(held(HeldMessage.Kind.PARKED, p.id(), p.source(), p.reason(), body, p.body().length, runs,
                    p.createdAt()));
        }
        return out;
    }

    static List<HeldMessage> rejected(List<BrokerClients.Rejected> rows, AdminQueries queries) {
        List<HeldMessage> out = new ArrayList<>(rows.size());
        Map<Long, RunView> runs = queries.runsById(runIds(rows.stream().map(BrokerClients.Rejected::body).toList()));
        for (BrokerClients.Rejected r : rows) {
            out.add(held(HeldMessage.Kind.REJECTED, r.id(), r.source().name(), r.reason(), r.body(), r.bodyBytes(),
                    runs, r.createdAt()));
        }
        return out;
    }

    private static HeldMessage held(HeldMessage.Kind kind, long id, String source, String reason, String body,
            int bytes, Map<Long, RunView> runs, java.time.Instant at) {
        Long runId = runId(body);
        RunView run = runId == null ? null : runs.get(runId);
        String shown = body == null || body.length() <= Admin.MAX_HELD_BODY_CHARS ? body
                : body.substring(0, Admin.MAX_HELD_BODY_CHARS);
        return new HeldMessage(kind, id, source, reason, shown, bytes, run == null ? null : run.id(),
                run == null ? null : run.state().name(), at);
    }

    private static Set<Long> runIds(List<String> bodies) {
        Set<Long> ids = new HashSet<>();
        bodies.forEach(b -> {
            Long id = runId(b);
            if (id != null) {
                ids.add(id);
            }
        });
        return ids;
    }

    static Long runId(String body) {
        if (body == null) {
            return null;
        }
        Matcher m = RUN_ID.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    /** The body as UTF-8 text, invalid bytes replaced. */
    static String text(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }
}
