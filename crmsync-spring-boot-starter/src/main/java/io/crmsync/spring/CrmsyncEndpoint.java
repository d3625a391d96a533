package io.crmsync.spring;

import io.crmsync.config.jobs.HostedJob;
import io.crmsync.config.jobs.JobScheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The actuator endpoint {@code crmsync}: {@code GET /actuator/crmsync} lists the jobs with their
 * schedules and last runs; {@code POST /actuator/crmsync/{job}} ({@code fullSync}, {@code poll},
 * {@code reverseSync}, {@code syncQueries}) starts one now. Expose it as any endpoint
 * ({@code management.endpoints.web.exposure.include=health,crmsync}) and secure it with the
 * application's own security.
 */
@Endpoint(id = "crmsync")
public class CrmsyncEndpoint {

    private final CrmsyncJobs jobs;

    /** The endpoint over {@code jobs}. */
    public CrmsyncEndpoint(CrmsyncJobs jobs) {
        this.jobs = jobs;
    }

    /** Every job's schedule and last run. */
    @ReadOperation
    public Map<String, Object> jobs() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (JobScheduler.JobStatus s : jobs.status()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("interval", s.interval().toString());
            one.put("running", s.running());
            s.lastStart().ifPresent(t -> one.put("lastStart", t.toString()));
            s.lastEnd().ifPresent(t -> one.put("lastEnd", t.toString()));
            s.lastOutcome().ifPresent(o -> one.put("lastOutcome", o));
            all.put(s.job().toString(), one);
        }
        return all;
    }

    /** Starts a job now; answers at once with what was started. */
    @WriteOperation
    public Map<String, Object> run(@Selector String job) {
        HostedJob hosted = List.of(HostedJob.values()).stream()
                .filter(h -> h.toString().equals(job))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no job is called '" + job + "'; use fullSync, poll," + " reverseSync or syncQueries"));
        jobs.run(hosted);
        return Map.of("started", hosted.toString());
    }
}
