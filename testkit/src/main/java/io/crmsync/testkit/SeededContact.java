package io.crmsync.testkit;

import java.util.Objects;
import java.util.Set;

/**
 * One generated Efficy contact, as {@link ContactGenerator} makes it for seeding an emulator.
 *
 * @param key the K_CONTACT value, from 1 upward
 * @param firstName FIRSTNAME, may contain non-ASCII letters
 * @param name NAME (the last name)
 * @param email EMAIL1; about one in fifty is deliberately invalid, some are empty
 * @param mobile MOBILE in E.164 form, or empty
 * @param newsletter the F_NEWSLETTER checkbox
 * @param smsOptIn the F_SMS_OPTIN checkbox
 * @param profiles keys of the Efficy Profiles (Prof) the contact belongs to
 */
public record SeededContact(
        long key,
        String firstName,
        String name,
        String email,
        String mobile,
        boolean newsletter,
        boolean smsOptIn,
        Set<Long> profiles) {

    /** Validates and copies the profile set. */
    public SeededContact {
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(mobile, "mobile");
        profiles = Set.copyOf(profiles);
    }
}
