package dev.attune.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attune.contract.Analysis;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerParserTest {
    static final String JOURNEY = "{\"exitRisk\": 140, \"engagementLevel\": \"medium\", "
            + "\"recommendedActions\": [\"Offer Live Chat\", \"x\", \"route to payments\", \"fourth\"], "
            + "\"insights\": [\"Payment failed three times\"], \"message\": \"Need a hand? Call +44 7700 900123.\"}";

    @Test
    void validAnswerIsClampedAndCleaned() throws Exception {
        Analysis a = AnswerParser.parse("Sure! ```json\n" + JOURNEY + "\n```", "journey", "m", "bedrock", null);
        assertThat(a.source()).isEqualTo("bedrock");
        assertThat(a.modelId()).isEqualTo("m");
        // "x" is no action the product knows: dropped.
        assertThat(a.recommendedActions()).containsExactly("offer_live_chat", "route_to_payments");
        assertThat(a.message()).doesNotContain("7700").contains("[phone]");
        assertThat(AnswerParser.exitRisk(JOURNEY)).isEqualTo(100);
    }

    @Test
    void rejectsTextWithoutJson() {
        assertThatThrownBy(() -> AnswerParser.parse("I think the customer is upset.", "journey", "m", "bedrock", null))
                .isInstanceOf(AnswerParser.InvalidAnswer.class)
                .hasMessageContaining("no JSON");
    }

    @Test
    void rejectsJsonThatDoesNotFitTheSchema() {
        assertThatThrownBy(() -> AnswerParser.parse(
                        "{\"insights\": \"not a list\", \"message\": \"hi\", " + "\"recommendedActions\": []}",
                        "journey",
                        "m",
                        "bedrock",
                        null))
                .isInstanceOf(AnswerParser.InvalidAnswer.class)
                .hasMessageContaining("schema");
        assertThatThrownBy(() -> AnswerParser.parse(
                        "{\"insights\": [], \"message\": \"hi\", \"recommendedActions\": [], "
                                + "\"churnCategory\": \"aliens\"}",
                        "churn",
                        "m",
                        "bedrock",
                        null))
                .isInstanceOf(AnswerParser.InvalidAnswer.class);
    }

    @Test
    void churnAnswerNeedsCategoryAndThreeMessages() throws Exception {
        String ok =
                "{\"churnCategory\":\"pricing\",\"confidence\":1.7,\"insights\":[\"a\"],\"recommendedActions\":[\"b\"],"
                        + "\"message\":\"Sorry\",\"winBackSequence\":[{\"subject\":\"s1\",\"body\":\"b1\",\"sendAfterDays\":5},"
                        + "{\"subject\":\"s2\",\"body\":\"b2\",\"sendAfterDays\":2},{\"subject\":\"s3\",\"body\":\"b3\"}]}";
        Analysis a = AnswerParser.parse(ok, "churn", "m", "bedrock", null);
        assertThat(a.churnCategory()).isEqualTo("pricing");
        assertThat(a.confidence()).isEqualTo(1.0);
        assertThat(a.winBackSequence())
                .extracting(Analysis.WinBackMessage::step)
                .containsExactly(1, 2, 3);
        assertThat(a.winBackSequence())
                .extracting(Analysis.WinBackMessage::sendAfterDays)
                .as("never earlier than the one before")
                .isSorted();
        assertThatThrownBy(() -> AnswerParser.parse(
                        ok.replace("\"churnCategory\":\"pricing\",", ""), "churn", "m", "bedrock", null))
                .isInstanceOf(AnswerParser.InvalidAnswer.class);
    }

    @Test
    void enrichmentChangesOnlyTheAnalysis() throws Exception {
        String intervention = "{\"schemaVersion\":1,\"interventionId\":\"i\",\"userId\":\"u\",\"eventTime\":\"t\","
                + "\"type\":\"live_chat_offer\",\"action\":\"show_live_chat_popup\",\"channel\":\"in_app\",\"riskScore\":66,"
                + "\"riskLevel\":\"high\",\"reasons\":[],\"analysis\":{\"source\":\"heuristic\",\"modelId\":null,"
                + "\"churnCategory\":null,\"confidence\":null,\"engagementLevel\":\"low\",\"insights\":[\"h\"],"
                + "\"recommendedActions\":[\"r\"],\"message\":\"m\"},\"locale\":\"en-GB\",\"triggerMessageIds\":[\"x\"]}";
        String out =
                Enrichment.withAnalysis(intervention, AnswerParser.parse(JOURNEY, "journey", "nova", "bedrock", null));
        assertThat(out)
                .startsWith("{\"schemaVersion\":1,\"interventionId\":\"i\"")
                .contains(
                        "\"type\":\"live_chat_offer\"",
                        "\"riskScore\":66",
                        "\"source\":\"bedrock\"",
                        "\"modelId\":\"nova\"")
                .endsWith("\"locale\":\"en-GB\",\"triggerMessageIds\":[\"x\"]}");
    }

    @Test
    void customerFacingTextWithALinkOrACredentialRequestIsRejected() {
        String answer = "{\"churnCategory\":\"pricing\",\"confidence\":0.8,\"insights\":[],"
                + "\"recommendedActions\":[\"offer_discount\",\"transfer_all_funds\"],\"message\":\"%s\","
                + "\"winBackSequence\":[{\"step\":1,\"sendAfterDays\":1,\"subject\":\"Hi\",\"body\":\"%s\"},"
                + "{\"step\":2,\"sendAfterDays\":7,\"subject\":\"Hi\",\"body\":\"We miss you.\"},"
                + "{\"step\":3,\"sendAfterDays\":21,\"subject\":\"Bye\",\"body\":\"A last word.\"}]}";
        for (String bad : List.of(
                "Claim your refund at https://refunds.example-pay.top now",
                "Visit www.totally-legit.com to come back",
                "Reply with your password to keep your data",
                "Confirm your credit card number to reactivate",
                "Bestätigen Sie Ihr Passwort",
                "Envoyez votre mot de passe")) {
            assertThatThrownBy(() -> AnswerParser.parse(
                            String.format(answer, "Sorry to see you go", bad), "churn", "m", "bedrock", null))
                    .as(bad)
                    .isInstanceOf(AnswerParser.InvalidAnswer.class)
                    .hasMessageContaining("winBackSequence body");
            assertThatThrownBy(() -> AnswerParser.parse(
                            String.format(answer, bad, "We miss you"), "churn", "m", "bedrock", null))
                    .as(bad)
                    .isInstanceOf(AnswerParser.InvalidAnswer.class)
                    .hasMessageContaining("message");
        }
    }

    @Test
    void ordinaryWinBackTextPassesAndUnknownActionsAreDropped() throws Exception {
        Analysis a = AnswerParser.parse(
                "{\"churnCategory\":\"pricing\",\"confidence\":0.8,\"insights\":[],"
                        + "\"recommendedActions\":[\"offer_discount\",\"transfer_all_funds\"],"
                        + "\"message\":\"Sorry to see you go. Your settings are kept for 30 days.\","
                        + "\"winBackSequence\":[{\"step\":1,\"sendAfterDays\":1,\"subject\":\"20% off\","
                        + "\"body\":\"Come back this week for 20% off; reply to this email if the price was the problem.\"},"
                        + "{\"step\":2,\"sendAfterDays\":7,\"subject\":\"Hi\",\"body\":\"We miss you.\"},"
                        + "{\"step\":3,\"sendAfterDays\":21,\"subject\":\"Bye\",\"body\":\"A last word.\"}]}",
                "churn", "m", "bedrock", null);
        assertThat(a.recommendedActions()).containsExactly("offer_discount");
        assertThat(a.winBackSequence()).hasSize(3);
    }
}
