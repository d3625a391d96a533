/**
 * The console's set-up wizard, in the five steps of APSIS's own Efficy integration: connect (both
 * services checked live), sync conditions, field mapping and consent mapping (picked from the live
 * lists of Efficy fields, APSIS attributes and topics), and sync (a dry-run preview first). The
 * host's {@link io.crmsync.console.setup.SetupTarget} stores the result.
 */
package io.crmsync.console.setup;
