package io.crmsync.console.view;

import java.util.List;

/**
 * The overview page: every job with its last and next run, and the figures an operator watches.
 *
 * @param jobs the jobs
 * @param figures poll lag, imports in flight, the APSIS request budget used, and the like
 */
public record Overview(List<JobSummary> jobs, List<Figure> figures) {

    /** Copies the lists. */
    public Overview {
        jobs = List.copyOf(jobs);
        figures = List.copyOf(figures);
    }
}
