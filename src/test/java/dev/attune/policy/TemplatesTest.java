package dev.attune.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.catalogue.TextCatalogue;
import dev.attune.contract.CampaignSend;
import dev.attune.contract.Channel;
import dev.attune.contract.Json;
import dev.attune.policy.CampaignPolicyTest.In;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Template choice for every template, and the content written for it. */
class TemplatesTest {
    static final long NOW = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000L;
    static final ObjectNode NONE = Json.MAPPER.createObjectNode();
    static final TextCatalogue TEXTS = TextCatalogue.defaults();

    static String choose(String category, ObjectNode offer, long notAfter, String tier, boolean habit) {
        return Templates.choose(category, offer, NOW, notAfter, tier, habit);
    }

    @Test
    void urgentWhenTheOfferEndsWithinTwoDays() {
        assertThat(choose("promotional", In.object("discountPct", 30), NOW + 48 * HOUR, "premium", true))
                .isEqualTo(Templates.URGENT);
        assertThat(choose("promotional", NONE, NOW + HOUR, null, false)).isEqualTo(Templates.URGENT);
        assertThat(choose("promotional", NONE, NOW + 48 * HOUR + 1, null, false))
                .isEqualTo(Templates.SIMPLE);
    }

    @Test
    void discountForARealDiscount() {
        assertThat(choose("promotional", In.object("discountPct", 10), 0, "premium", true))
                .isEqualTo(Templates.DISCOUNT);
        assertThat(choose("promotional", In.object("discountPct", 25.5), NOW + 72 * HOUR, null, false))
                .isEqualTo(Templates.DISCOUNT);
        assertThat(choose("promotional", In.object("discountPct", 9.99), 0, null, false))
                .isEqualTo(Templates.SIMPLE);
        assertThat(choose("promotional", In.object("discountPct", "20"), 0, null, false))
                .as("a numeric string is a discount too")
                .isEqualTo(Templates.DISCOUNT);
    }

    @Test
    void premiumForPremiumOrEnterpriseCustomersOrPremiumOffers() {
        assertThat(choose("promotional", NONE, 0, "Premium", true)).isEqualTo(Templates.PREMIUM);
        assertThat(choose("promotional", NONE, 0, "enterprise", false)).isEqualTo(Templates.PREMIUM);
        assertThat(choose("promotional", In.object("tier", "PREMIUM"), 0, "free", false))
                .isEqualTo(Templates.PREMIUM);
        assertThat(choose("promotional", NONE, 0, "pro", false)).isEqualTo(Templates.SIMPLE);
    }

    @Test
    void personalisedWhenTheCustomerHasAKnownHabit() {
        assertThat(choose("promotional", NONE, 0, "pro", true)).isEqualTo(Templates.PERSONALIZED);
    }

    @Test
    void simpleOtherwise() {
        assertThat(choose("promotional", NONE, 0, null, false)).isEqualTo(Templates.SIMPLE);
        assertThat(choose("promotional", In.object("title", "New shoes"), 0, "", false))
                .isEqualTo(Templates.SIMPLE);
    }

    @Test
    void transactionalAndServiceIgnoreEverythingElse() {
        assertThat(choose("transactional", In.object("discountPct", 50), NOW + HOUR, "premium", true))
                .isEqualTo(Templates.TRANSACTIONAL);
        assertThat(choose("service", In.object("discountPct", 50), NOW + HOUR, "premium", true))
                .isEqualTo(Templates.SERVICE);
    }

    @Test
    void everyTemplateIdIsAValidContractId() {
        for (String t : new String[] {
            Templates.SIMPLE,
            Templates.DISCOUNT,
            Templates.URGENT,
            Templates.PREMIUM,
            Templates.PERSONALIZED,
            Templates.TRANSACTIONAL,
            Templates.SERVICE
        }) {
            assertThat(t).matches("^[a-z][a-z0-9_]*$");
            CampaignSend.Content c = Templates.content(
                    TEXTS, t, In.object("title", "Winter sale", "discountPct", 20), Channel.EMAIL, "en-GB");
            assertThat(c.subject()).isNotBlank();
            assertThat(c.body()).isNotBlank();
        }
    }

    @Test
    void contentCarriesTheOfferInTheLocaleAndASubjectOnlyByEmail() {
        ObjectNode offer = In.object("title", "Winter sale", "discountPct", 20, "sku", "W-1");
        CampaignSend.Content email = Templates.content(TEXTS, Templates.DISCOUNT, offer, Channel.EMAIL, "en-US");
        assertThat(email.subject()).isEqualTo("20% off: Winter sale");
        assertThat(email.body()).contains("favorite").doesNotContain("favourite");
        assertThat(email.parameters()).isEqualTo(offer);
        CampaignSend.Content sms = Templates.content(TEXTS, Templates.DISCOUNT, offer, Channel.SMS, "en-GB");
        assertThat(sms.subject()).isNull();
        assertThat(sms.body()).contains("favourite");
        CampaignSend.Content simple = Templates.content(TEXTS, Templates.SIMPLE, NONE, Channel.PUSH, "en-GB");
        assertThat(simple.body()).isEqualTo("Take a look at our latest offer.");
        assertThat(simple.parameters()).isEmpty();
    }

    @Test
    void contentIsInTheCustomersLanguage() {
        ObjectNode offer = In.object("title", "Winter sale", "discountPct", 20);
        CampaignSend.Content de = Templates.content(TEXTS, Templates.DISCOUNT, offer, Channel.EMAIL, "de-DE");
        assertThat(de.subject()).isEqualTo("20 % Rabatt: Winter sale");
        assertThat(de.body())
                .isEqualTo("Gute Nachrichten: Winter sale gibt es für Sie jetzt mit 20 % Rabatt. "
                        + "Ihr Lieblingstarif, günstiger.");
        assertThat(Templates.content(TEXTS, Templates.URGENT, offer, Channel.EMAIL, "fr-FR")
                        .subject())
                .isEqualTo("Dernière chance\u00a0: Winter sale");
        assertThat(Templates.content(TEXTS, Templates.SERVICE, NONE, Channel.EMAIL, "es-ES")
                        .subject())
                .isEqualTo("Un aviso sobre el servicio");
        assertThat(Templates.content(TEXTS, Templates.SIMPLE, NONE, Channel.PUSH, "de-AT")
                        .body())
                .as("the default title is in the language too")
                .isEqualTo("Entdecken Sie jetzt unser aktuelles Angebot.");
    }

    @Test
    void anOperatorsOverrideReachesTheContent() {
        TextCatalogue texts = TEXTS.withOverrides(java.util.Map.of(
                "attune_de.properties",
                "campaign.promotional_premium_v1.body=Exklusiv: {title} für Sie.\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ObjectNode offer = In.object("title", "Go Premium", "tier", "premium");
        assertThat(Templates.content(texts, Templates.PREMIUM, offer, Channel.SMS, "de-DE")
                        .body())
                .isEqualTo("Exklusiv: Go Premium für Sie.");
        assertThat(Templates.content(texts, Templates.PREMIUM, offer, Channel.SMS, "en-GB")
                        .body())
                .isEqualTo("As a valued customer you get early access to Go Premium.");
    }

    @Test
    void theEngineUsesTheTemplateForTheRequest() {
        CampaignPolicyTest.Customer c = new CampaignPolicyTest.Customer();
        c.feed(In.identify(In.USER, "id-0", NOW, "Europe/London", In.allConsent(), true, true));
        assertThat(c.decide(In.request("r1", NOW + HOUR).channels("push"))
                        .get("templateId")
                        .asText())
                .isEqualTo(Templates.SIMPLE);
        assertThat(c.decide(In.request("r2", NOW + 2 * HOUR)
                                .channels("push", "in_app")
                                .notAfter(NOW + 5 * HOUR))
                        .get("templateId")
                        .asText())
                .isEqualTo(Templates.URGENT);
        assertThat(c.decide(In.request("r3", NOW + 3 * HOUR).category("service").channels("email"))
                        .get("templateId")
                        .asText())
                .isEqualTo(Templates.SERVICE);
    }
}
