package io.crmsync.testkit;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic Efficy contacts for seeding the emulators.
 *
 * <p>The same seed always yields the same contacts, so a failing test or a benchmark can be
 * replayed exactly. The data is shaped to exercise a sync: names with accents and non-Latin
 * letters, about 2% invalid e-mail addresses, about 3% without an e-mail, mixed newsletter and SMS
 * consent, mobile numbers for most contacts, and memberships of Profiles 1 to 3.
 *
 * <pre>{@code
 * ContactGenerator generator = new ContactGenerator(42);
 * SeededContact first = generator.contact(1);
 * }</pre>
 */
public final class ContactGenerator {

    private static final String[] FIRST_NAMES = {
        "Anna", "Émile", "Jürgen", "Søren", "Zoë", "Björn", "Łukasz", "María", "François", "Chloé",
        "Noah", "Liam", "Ines", "Θεόδωρος", "Ольга", "Jan", "Marie", "Pieter", "Lotte", "Håkan",
        "José", "Ana", "Sven", "Ærin", "Dmitri", "Aoife", "Siobhán", "Mateusz", "Zsófia", "Ömer"
    };
    private static final String[] LAST_NAMES = {
        "Peeters",
        "Janssens",
        "Dubois",
        "Müller",
        "Lindqvist",
        "Nowak",
        "García",
        "O'Brien",
        "Van den Broeck",
        "Østergaard",
        "Schröder",
        "Lefèvre",
        "Kowalczyk",
        "Σπανός",
        "Иванова",
        "De Smet",
        "Martin",
        "Andersson",
        "Nieminen",
        "Horváth",
        "Yılmaz",
        "Jensen",
        "Rossi",
        "Dupont"
    };
    private static final String[] DOMAINS = {
        "example.com", "example.org", "example.net", "mail.example.be", "post.example.se"
    };

    private final long seed;

    /** Creates a generator; equal seeds give equal contacts. */
    public ContactGenerator(long seed) {
        this.seed = seed;
    }

    /**
     * Returns the contact with the given key. Each key is generated independently, so contact 5000
     * costs the same as contact 1 and any range can be produced in any order.
     *
     * @throws IllegalArgumentException if {@code key < 1}
     */
    public SeededContact contact(long key) {
        if (key < 1) {
            throw new IllegalArgumentException("contact key must be at least 1, was " + key);
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key);
        String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
        String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
        int emailKind = random.nextInt(100);
        String email;
        if (emailKind < 3) {
            email = "";
        } else if (emailKind < 5) {
            email = asciiLocalPart(first) + ".at." + DOMAINS[random.nextInt(DOMAINS.length)];
        } else {
            String tag = random.nextInt(10) == 0 ? "+news" : "";
            email = asciiLocalPart(first)
                    + "."
                    + asciiLocalPart(last)
                    + key
                    + tag
                    + "@"
                    + DOMAINS[random.nextInt(DOMAINS.length)];
        }
        String mobile = random.nextInt(10) < 8 ? String.format(Locale.ROOT, "+3247%07d", key % 10_000_000) : "";
        boolean newsletter = random.nextInt(100) < 60;
        boolean sms = !mobile.isEmpty() && random.nextInt(100) < 30;
        Set<Long> profiles = new HashSet<>();
        for (long profile = 1; profile <= 3; profile++) {
            if (random.nextInt(100) < 25) {
                profiles.add(profile);
            }
        }
        return new SeededContact(key, first, last, email, mobile, newsletter, sms, profiles);
    }

    /** Lower-case ASCII letters of a name, for the local part of an address. */
    static String asciiLocalPart(String name) {
        String stripped = Normalizer.normalize(name, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z]", "");
        return stripped.isEmpty() ? "contact" : stripped;
    }
}
