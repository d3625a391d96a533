package io.crmsync.apsis;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.apsis.consent.Consent;
import io.crmsync.apsis.consent.ConsentChange;
import io.crmsync.apsis.consent.ConsentOutcome;
import io.crmsync.apsis.consent.ConsentType;
import io.crmsync.apsis.error.ApsisTransportException;
import io.crmsync.apsis.internal.Discriminators;
import io.crmsync.apsis.profile.ProfileKey;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Consent 2.0 on a profile, per (section, topic, channel).
 *
 * <pre>{@code
 * ConsentOutcome outcome = apsis.consents().create(ProfileKey.crmId("12345"), section,
 *     ConsentChange.optIn(topic, "com.apsis1.channels.email", "Ticked in Efficy", "crmsync"));
 * }</pre>
 */
public final class ConsentService {

    private final ApsisTransport transport;
    private final ObjectMapper mapper;

    ConsentService(ApsisTransport transport, ObjectMapper mapper) {
        this.transport = transport;
        this.mapper = mapper;
    }

    /**
     * Records an opt-in or opt-out ({@code POST
     * /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{section}/consents}). 201 is
     * {@link ConsentOutcome#CREATED}, 204 or 200 {@link ConsentOutcome#UPDATED}, 409 (already in that
     * state) {@link ConsentOutcome#NO_CHANGE}. Safe to repeat, so it is retried like a read.
     */
    public ConsentOutcome create(ProfileKey key, String section, ConsentChange change) {
        Discriminators.require("section", section);
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(change);
        } catch (IOException e) {
            throw new IllegalArgumentException("consent cannot be written as JSON", e);
        }
        ApsisResponse r = transport.send(ApsisRequest.builder(
                        "POST",
                        "/v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/consents",
                        key.keyspace(),
                        key.key(),
                        section)
                .json(body)
                .tolerate(409)
                .idempotent()
                .build());
        switch (r.status()) {
            case 201:
                return ConsentOutcome.CREATED;
            case 409:
                return ConsentOutcome.NO_CHANGE;
            default:
                return ConsentOutcome.UPDATED;
        }
    }

    /**
     * Lists a profile's consents in a section, optionally only of some types ({@code
     * ?consent_types=opt-in&consent_types=confirmed-opt-in}); an empty set lists all.
     */
    public List<Consent> list(ProfileKey key, String section, Set<ConsentType> types) {
        Discriminators.require("section", section);
        ApsisRequest.Builder b = ApsisRequest.builder(
                        "GET",
                        "/v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/consents",
                        key.keyspace(),
                        key.key(),
                        section)
                .idempotent();
        for (String type : new TreeSet<>(types.stream().map(ConsentType::wire).toList())) {
            b.query("consent_types", type);
        }
        ApsisRequest request = b.build();
        ApsisResponse response = transport.send(request);
        try {
            JsonNode root = mapper.readTree(response.body());
            JsonNode items = root == null ? null : root.get("items");
            if (items == null || !items.isArray()) {
                return List.of();
            }
            JavaType type = mapper.getTypeFactory().constructCollectionType(List.class, Consent.class);
            List<Consent> list = mapper.convertValue(items, type);
            return List.copyOf(list);
        } catch (IOException | IllegalArgumentException e) {
            throw new ApsisTransportException(
                    "consents answer could not be read", request.method, request.logPath, "-", false, e);
        }
    }
}
