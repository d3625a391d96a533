package io.crmsync.efficy.contact;

import io.crmsync.efficy.internal.EfficyNames;
import java.util.List;

/**
 * What to read of one contact with a {@code consult}: the master fields to keep (all when empty),
 * the categories ({@code CONT$NAME} extra-field tables) and whether to read its Profile
 * memberships ({@code detail} {@code Prof}), whose rows carry {@code membershipProfileField}.
 *
 * <pre>{@code
 * ContactRead read = new ContactRead(List.of("NAME", "EMAIL1"), List.of(), true, "K_PROFILE");
 * }</pre>
 *
 * @param fields master fields to keep; empty keeps every field the server sends
 * @param categories category names such as {@code CONT$EMPLOYEE}
 * @param profiles whether to read the {@code Prof} detail
 * @param membershipProfileField the key field of {@code Prof} detail rows; {@code K_PROFILE}
 */
public record ContactRead(
        List<String> fields, List<String> categories, boolean profiles, String membershipProfileField) {

    /** Checks every name. */
    public ContactRead {
        fields = List.copyOf(fields);
        categories = List.copyOf(categories);
        fields.forEach(f -> EfficyNames.require("field", f));
        categories.forEach(c -> EfficyNames.require("category", c));
        EfficyNames.require("membership profile field", membershipProfileField);
    }

    /** Reads the given fields and the Profile memberships. */
    public static ContactRead fieldsAndProfiles(List<String> fields) {
        return new ContactRead(fields, List.of(), true, "K_PROFILE");
    }
}
