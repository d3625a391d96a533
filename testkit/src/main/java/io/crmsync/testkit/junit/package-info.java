/**
 * A JUnit 5 extension for a host's own integration tests: {@link io.crmsync.testkit.junit.CrmsyncEmulators}
 * starts both emulators for a test class and injects them.
 */
package io.crmsync.testkit.junit;
