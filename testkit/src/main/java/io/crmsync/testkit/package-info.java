/**
 * Stateful Efficy Enterprise and APSIS One emulators that bind to 127.0.0.1, for tests, demos and
 * benchmarks. They are an independent reading of the two protocols and share no code with the
 * clients, so a client's misreading shows up as a failing test.
 */
package io.crmsync.testkit;
