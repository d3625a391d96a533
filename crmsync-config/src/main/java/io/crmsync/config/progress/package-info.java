/** A full sync's progress on a terminal: what was read, written and quarantined, the rate, and an honest ETA. */
package io.crmsync.config.progress;
