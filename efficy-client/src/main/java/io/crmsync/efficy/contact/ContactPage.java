package io.crmsync.efficy.contact;

import java.util.List;

/**
 * One page of contacts, read in one HTTP request together with their Profile memberships.
 *
 * @param contacts the contacts in cursor order
 * @param next the cursor that resumes after this page
 * @param last whether this was the last page (fewer rows than the page size came back)
 */
public record ContactPage(List<Contact> contacts, ContactCursor next, boolean last) {

    /** Copies the list. */
    public ContactPage {
        contacts = List.copyOf(contacts);
    }
}
