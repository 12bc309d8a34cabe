package dev.rota.master.internal;

import dev.rota.db.Alerts;
import dev.rota.db.Alerts.Claim;
import dev.rota.db.Alerts.Outcome;
import dev.rota.master.AlertConfig;
import dev.rota.master.MasterEvent;
import dev.rota.master.WebhookSignature;
import dev.rota.model.RotaVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert webhook sender: claims due deliveries (the leader's fenced by its term's epoch), POSTs them all at
 * once with the JDK's HTTP client, and records each outcome; a non-2xx answer, a timeout or a connection error
 * is a failure, retried after the configured backoff until no attempt is left. Delivery to the receiver is at
 * least once (a leader that dies after the POST and before the record leaves it to be sent again once its
 * claim expires): receivers drop duplicates by {@code X-Rota-Delivery}. {@link #runOnce} runs on the term's
 * alert thread; {@link #close} stops the HTTP client's threads.
 */
final class AlertSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertSender.class);
    private static final int MAX_ERROR_CHARS = 500;

    /** Claims up to {@code limit} due deliveries for {@code lease}. */
    @FunctionalInterface
    interface Claimer {
        List<Claim> claim(int limit, Duration lease);
    }

    private final Alerts alerts;
    private final Claimer claimer;
    private final AlertConfig config;
    private final Clock clock;
    private final DoubleSupplier jitter;
    private final BiConsumer<MasterEvent, String> events;
    private final ExecutorService executor;
    private final HttpClient http;

    AlertSender(Alerts alerts, Claimer claimer, AlertConfig config, Clock clock, DoubleSupplier jitter,
            BiConsumer<MasterEvent, String> events, String threadName) {
        this.alerts = alerts;
        this.claimer = claimer;
        this.config = config;
        this.clock = clock;
        this.jitter = jitter;
        this.events = events;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * One pass, then, when the pass found less than a full batch, a wait: the poll interval after a pass that
     * sent something, longer ({@code pace}) after each pass that found nothing.
     */
    void runOnce(IdleBackoff pace) throws InterruptedException {
        int claimed = sendDue();
        if (claimed < config.batchSize()) {
            Thread.sleep(pace.next(claimed > 0).toMillis());
        }
    }

    /**
     * Claims the due deliveries, sends them and records the outcomes.
     *
     * @return how many were claimed
     * @throws dev.rota.db.FencedException when the claimer is fenced and its epoch is no longer current
     */
    int sendDue() throws InterruptedException {
        List<Claim> claims = claimer.claim(config.batchSize(), config.claimLease());
        List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>(claims.size());
        for (Claim c : claims) {
            responses.add(send(c));
        }
        for (int i = 0; i < claims.size(); i++) {
            record(claims.get(i), outcome(claims.get(i), responses.get(i)));
        }
        return claims.size();
    }

    private CompletableFuture<HttpResponse<Void>> send(Claim c) {
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(c.url()))
                    .timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Rota/" + RotaVersion.current())
                    .header("X-Rota-Delivery", Long.toString(c.deliveryId()))
                    .header("X-Rota-Attempt", Integer.toString(c.attempt()))
                    .header("X-Rota-Timestamp", Long.toString(clock.instant().getEpochSecond()))
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(c.secret(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Outcome outcome(Claim c, CompletableFuture<HttpResponse<Void>> response) throws InterruptedException {
        Integer status = null;
        String error;
        try {
            // The client's own timeout ends the request; this bound only guards against a client that never does.
            status = response.get(config.requestTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS).statusCode();
            if (status / 100 == 2) {
                return Outcome.delivered(status);
            }
            error = "HTTP " + status;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            error = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            response.cancel(true);
            error = "no response within " + config.requestTimeout().toMillis() + " ms";
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        }
        if (error.length() > MAX_ERROR_CHARS) {
            error = error.substring(0, MAX_ERROR_CHARS);
        }
        Duration retryIn = config.retry().allowsRetryAfter(c.attempt()) ? config.retry().delayAfter(c.attempt(), jitter)
                : null;
        return Outcome.failed(status, error, retryIn);
    }

    private void record(Claim c, Outcome o) {
        if (!alerts.record(c, o)) {
            log.warn("alert delivery {} attempt {}: claimed again before its outcome was recorded", c.deliveryId(),
                    c.attempt());
            return;
        }
        if (o.delivered()) {
            events.accept(MasterEvent.ALERT_DELIVERED, "delivery " + c.deliveryId() + " attempt " + c.attempt()
                    + " HTTP " + o.httpStatus());
        } else {
            String next = o.retryIn() == null ? "giving up" : "retry in " + o.retryIn().toMillis() + " ms";
            log.warn("alert delivery {} attempt {} to {} failed: {}; {}", c.deliveryId(), c.attempt(), c.url(), o.error(),
                    next);
            events.accept(MasterEvent.ALERT_FAILED, "delivery " + c.deliveryId() + " attempt " + c.attempt() + ": "
                    + o.error() + "; " + next);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
