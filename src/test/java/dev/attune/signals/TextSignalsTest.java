package dev.attune.signals;

import static dev.attune.signals.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.InputRecord;
import dev.attune.testing.Defaults;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tickets, surveys, replies and cancellations in four languages, through Signals and InterventionRules. */
class TextSignalsTest {
    private final SignalSettings settings = Defaults.signals();
    private final Signals signals = new Signals(settings);
    private final InterventionRules rules = new InterventionRules(settings);
    private final Risk noRisk = new Risk(0, Defaults.risk().level(0), List.of());

    private InterventionType ticketDecision(CustomerState s, String priority, String text) {
        InputRecord t = ticket("t", T0, priority, text);
        Signals.Observation sentiment = signals.apply(s, t, EventKind.SUPPORT_TICKET);
        return rules.candidate(s, t, EventKind.SUPPORT_TICKET, noRisk, sentiment);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Your app has been down all morning, this is unacceptable",
                "Ich kann mich seit gestern nicht mehr einloggen, das ist eine Frechheit",
                "Génial, encore une panne.",
                "Me cobraron dos veces este mes, devuélvanme el dinero"
            })
    void angryOrUrgentTicketsOfNormalPriorityAskForServiceRecoveryAndCountAsUrgent(String text) {
        CustomerState s = new CustomerState();
        assertThat(ticketDecision(s, "normal", text)).isEqualTo(InterventionType.SERVICE_RECOVERY);
        assertThat(s.lastUrgentTicketTime).isEqualTo(T0);
        assertThat(s.sentiment).isNegative();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Could you tell me where to find the export button?",
                "Nicht schlecht, danke für die schnelle Hilfe",
                "Pas mal du tout, merci",
                "No está mal, gracias"
            })
    void calmTicketsAskForNothing(String text) {
        CustomerState s = new CustomerState();
        assertThat(ticketDecision(s, "normal", text)).isNull();
        assertThat(s.lastUrgentTicketTime).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Invoice 4411 shows the wrong VAT number",
                "Die Rechnung 4411 hat die falsche USt-IdNr.",
                "La facture 4411 porte le mauvais numéro de TVA",
                "La factura 4411 tiene el número de IVA equivocado"
            })
    void aProblemGivenTheTopPriorityAsksForServiceRecovery(String text) {
        assertThat(ticketDecision(new CustomerState(), "urgent", text)).isEqualTo(InterventionType.SERVICE_RECOVERY);
        assertThat(ticketDecision(new CustomerState(), "normal", text)).isNull();
        assertThat(ticketDecision(new CustomerState(), "urgent", "Thank you so much, everything works perfectly now!"))
                .isNull();
        assertThat(ticketDecision(new CustomerState(), "P1", "Wo finde ich den Export-Knopf?"))
                .isNull();
    }

    @Test
    void theCustomersLanguageIsTheLatestConfidentlyDetected() {
        CustomerState s = new CustomerState();
        s.locale = "en-GB";
        ticketDecision(s, "normal", "Ich kann mich seit gestern nicht mehr einloggen");
        assertThat(s.language).isEqualTo("de");
        ticketDecision(s, "normal", "ok"); // too short to tell: the language stays
        assertThat(s.language).isEqualTo("de");
        InputRecord c = cancelled("c", T0 + 1, "Nous fermons l'entreprise à la fin du mois");
        signals.apply(s, c, EventKind.SUBSCRIPTION_CANCELLED);
        assertThat(s.language).isEqualTo("fr");
        assertThat(s.cancelCategory).isEqualTo("business_closure");
        assertThat(s.locale).isEqualTo("en-GB");
    }

    @Test
    void aDetractorWhoSaysWhyUnhappilyInAnyLanguageGetsAFollowUp() {
        for (String comment : List.of(
                "The setup was confusing and support never answered",
                "Die Einrichtung war kompliziert und der Support hat nie geantwortet",
                "La configuration était compliquée et personne ne répond",
                "La configuración fue complicada y nadie responde")) {
            CustomerState s = new CustomerState();
            InputRecord e = survey("s", T0, 4, "nps");
            e.text = comment;
            Signals.Observation sentiment = signals.apply(s, e, EventKind.SURVEY);
            assertThat(rules.candidate(s, e, EventKind.SURVEY, noRisk, sentiment))
                    .as(comment)
                    .isEqualTo(InterventionType.SERVICE_RECOVERY);
        }
        CustomerState s = new CustomerState();
        InputRecord praise = survey("s", T0, 9, "nps");
        praise.text = "Très bien, merci";
        assertThat(rules.candidate(s, praise, EventKind.SURVEY, noRisk, signals.apply(s, praise, EventKind.SURVEY)))
                .isNull();
    }

    @Test
    void mergeKeepsTheLanguageOfTheNewerText() {
        CustomerState customer = new CustomerState();
        customer.language = "en";
        customer.sentimentTime = T0;
        CustomerState visitor = new CustomerState();
        visitor.language = "es";
        visitor.sentimentTime = T0 + 1;
        assertThat(StateMerge.into(customer, visitor).language).isEqualTo("es");
        CustomerState older = new CustomerState();
        older.language = "de";
        older.sentimentTime = T0 - 1;
        assertThat(StateMerge.into(customer, older).language).isEqualTo("es");
        CustomerState none = new CustomerState();
        none.language = "fr";
        assertThat(StateMerge.into(new CustomerState(), none).language).isEqualTo("fr");
    }
}
