/**
 * Who may use the console: the admin token, the signed session cookie it buys, the CSRF token of
 * every form, and the throttle on failed logins. Internal to the console.
 */
package io.crmsync.console.auth;
