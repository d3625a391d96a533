/**
 * The console's pages, rendered on the server as HTML with no script and one hashed style sheet,
 * so the content security policy can forbid everything else. Internal to the console.
 */
package io.crmsync.console.web;
