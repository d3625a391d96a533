package io.crmsync.sync;

import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which APSIS consents a contact should have. The engine applies the rule "ticked →
 * opt-in; unticked after having been opted in → opt-out; never ticked → no consent", so a contact
 * is never opted in without a ticked source in Efficy. Several mappings to the same topic and
 * channel count as ticked when any one is ticked.
 *
 * <p>A consent on the e-mail channel is only decided for a contact with an e-mail address, and
 * one on the SMS channel only with a mobile number (there is nothing to consent for otherwise).
 *
 * <p>On an e-mail change, by default ({@link #moveConsentOnEmailChange()} true) every topic the
 * old address was opted in to is opted out for the old address and opted in for the new one, so
 * APSIS's consent history shows both steps with the right addresses.
 *
 * <pre>{@code
 * ConsentPolicy consent = ConsentPolicy.of(
 *     ConsentMapping.checkbox("F_NEWSLETTER", newsletterTopic, Channels.EMAIL),
 *     ConsentMapping.profile(2, offersTopic, Channels.EMAIL));
 * }</pre>
 */
public interface ConsentPolicy {

    /** The mappings. */
    List<ConsentMapping> mappings();

    /** Whether an e-mail change moves consent from the old address to the new one; default true. */
    default boolean moveConsentOnEmailChange() {
        return true;
    }

    /**
     * Per (topic|channel) slot, whether the contact's Efficy sources are ticked, for the slots the
     * contact has an address for.
     *
     * @param email the contact's e-mail address, if any
     * @param mobile the contact's mobile number, if any
     */
    default Map<String, Boolean> ticked(ContactData contact, Optional<String> email, Optional<String> mobile) {
        Map<String, Boolean> slots = new LinkedHashMap<>();
        for (ConsentMapping m : mappings()) {
            boolean addressed = m.channel().equals(Channels.SMS) ? mobile.isPresent() : email.isPresent();
            if (addressed) {
                slots.merge(m.slot(), m.isTicked(contact.fields(), contact.profiles()), Boolean::logicalOr);
            }
        }
        return slots;
    }

    /** A policy with the given mappings. */
    static ConsentPolicy of(ConsentMapping... mappings) {
        return new MappedConsentPolicy(List.of(mappings));
    }

    /** A policy that manages no consent. */
    static ConsentPolicy none() {
        return List::of;
    }
}
