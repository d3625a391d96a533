/**
 * The console of one Efficy–APSIS pair, as {@code serve} and the Spring starter host it: the job
 * schedule's runs, the engine's quarantine, and what the APSIS client did in the last minute.
 */
package io.crmsync.console.pair;
