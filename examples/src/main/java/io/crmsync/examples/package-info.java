/** The demo, the CLI runner for real accounts and plug-in examples. */
package io.crmsync.examples;
