package io.crmsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ContactGeneratorTest {

    private static List<SeededContact> first(long seed, int count) {
        ContactGenerator generator = new ContactGenerator(seed);
        return LongStream.rangeClosed(1, count).mapToObj(generator::contact).toList();
    }

    @Test
    void sameSeedGivesSameContacts() {
        assertThat(first(7, 500)).isEqualTo(first(7, 500));
        assertThat(first(7, 500)).isNotEqualTo(first(8, 500));
    }

    @Test
    void dataMixesValidInvalidAndMissingAddressesAndConsents() {
        List<SeededContact> contacts = first(42, 2_000);

        assertThat(contacts).anyMatch(c -> c.email().isEmpty());
        assertThat(contacts).anyMatch(c -> !c.email().isEmpty() && !c.email().contains("@"));
        assertThat(contacts.stream().filter(c -> c.email().contains("@")).count())
                .isGreaterThan(1_800);
        assertThat(contacts).anyMatch(SeededContact::newsletter);
        assertThat(contacts).anyMatch(c -> !c.newsletter());
        assertThat(contacts).anyMatch(c -> c.mobile().startsWith("+32"));
        assertThat(contacts).anyMatch(c -> !c.profiles().isEmpty());
        assertThat(contacts).anyMatch(c -> !c.firstName().chars().allMatch(ch -> ch < 128));
    }

    @Test
    void smsConsentOnlyWithAMobileNumber() {
        assertThat(first(3, 2_000)).allMatch(c -> !c.smsOptIn() || !c.mobile().isEmpty());
    }

    @Test
    void addressesAreAsciiEvenForNonLatinNames() {
        assertThat(ContactGenerator.asciiLocalPart("Émile")).isEqualTo("emile");
        assertThat(ContactGenerator.asciiLocalPart("Ольга")).isEqualTo("contact");
    }

    @Test
    void rejectsKeysBelowOne() {
        assertThatThrownBy(() -> new ContactGenerator(1).contact(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contact key");
    }
}
