package dev.rota.master.internal;

import dev.rota.master.CronSchedule;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;

/**
 * Quartz, in memory, deciding when each cron job is due. It owns nothing durable: each fire is handed
 * to a {@link FireSink} with its scheduled time, and the database decides whether it is new. One
 * instance per leadership term; closing it stops all triggers at once.
 */
public final class FireClock implements JobReconciler.Triggers, AutoCloseable {
    /** Receives fires on a Quartz thread; must not block for long. */
    @FunctionalInterface
    public interface FireSink {
        void fire(long jobId, Instant scheduledAt);
    }

    private static final String JOB_ID = "jobId";

    private final Scheduler scheduler;

    public FireClock(String name, int threads, FireSink sink) {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, name);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", name + "-fire");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        try {
            scheduler = new StdSchedulerFactory(p).getScheduler();
            JobFactory factory = (bundle, s) -> new FireJob(sink);
            scheduler.setJobFactory(factory);
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start Quartz scheduler " + name, e);
        }
    }

    /**
     * (Re)schedules a job so that it fires at every cron time strictly after {@code after}. Misfires
     * inside the term are fired late, never dropped: Quartz's misfire policy is "ignore misfires".
     */
    @Override
    public void schedule(long jobId, CronSchedule schedule, Instant after) {
        JobDetail detail = JobBuilder.newJob(FireJob.class).withIdentity(key(jobId)).usingJobData(JOB_ID, jobId).build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity("trigger-" + jobId)
                .forJob(detail)
                // Quartz's first fire is the first cron second at or after startAt - 1 s, truncated to the
                // second; starting one second after 'after' makes it the first time strictly after it.
                .startAt(Date.from(after.plusSeconds(1)))
                .withSchedule(CronScheduleBuilder.cronSchedule(schedule.expression())
                        .inTimeZone(TimeZone.getTimeZone(schedule.zone()))
                        .withMisfireHandlingInstructionIgnoreMisfires())
                .build();
        try {
            scheduler.scheduleJob(detail, java.util.Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule job " + jobId, e);
        }
    }

    @Override
    public void unschedule(long jobId) {
        try {
            scheduler.deleteJob(key(jobId));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot unschedule job " + jobId, e);
        }
    }

    /** Stops firing at once; fires already handed to the sink may still be in progress. */
    @Override
    public void close() {
        try {
            scheduler.shutdown(false);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot stop Quartz", e);
        }
    }

    private static JobKey key(long jobId) {
        return JobKey.jobKey("job-" + jobId);
    }

    /** The Quartz job: hands the fire over. Public with a sink constructor only because Quartz needs a Job class. */
    public static final class FireJob implements Job {
        private final FireSink sink;

        public FireJob(FireSink sink) {
            this.sink = sink;
        }

        @Override
        public void execute(JobExecutionContext context) {
            sink.fire(context.getJobDetail().getJobDataMap().getLong(JOB_ID), context.getScheduledFireTime().toInstant());
        }
    }
}
