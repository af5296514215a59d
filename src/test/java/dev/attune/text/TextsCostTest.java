package dev.attune.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reading stays cheap: a 30-word text takes tens of microseconds once warm (the budget is 100 µs; the
 * assertion allows a shared CI machine 10 times that), and hostile input is cut at 2,000 characters.
 */
class TextsCostTest {
    private static final List<String> THIRTY_WORDS = List.of(
            "I have been trying to log in since this morning and it still says my password is wrong even after the"
                    + " reset, we have a client demo at three so please help",
            "Seit heute Morgen versuche ich mich einzuloggen und es heißt immer noch, mein Passwort sei falsch, auch"
                    + " nach dem Zurücksetzen, wir haben um drei eine Kundendemo, bitte helfen Sie",
            "J'essaie de me connecter depuis ce matin et il me dit toujours que mon mot de passe est faux même après"
                    + " la réinitialisation, nous avons une démo client à quinze heures",
            "Llevo toda la mañana intentando entrar y sigue diciendo que mi contraseña es incorrecta incluso después"
                    + " de restablecerla, tenemos una demo con un cliente a las tres");

    @Test
    void aThirtyWordTextIsReadInWellUnderAMillisecondOnceWarm() {
        for (int i = 0; i < 2_000; i++) {
            Texts.read(THIRTY_WORDS.get(i % 4));
        }
        int n = 4_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Texts.read(THIRTY_WORDS.get(i % 4));
        }
        double micros = (System.nanoTime() - start) / 1e3 / n;
        System.out.printf("Texts.read: %.1f µs per 30-word text%n", micros);
        assertThat(micros).isLessThan(1_000);
    }

    @Test
    void hostileInputIsCutAndReadQuickly() {
        String hostile = "not ".repeat(100_000) + "great ".repeat(100_000);
        long start = System.nanoTime();
        TextReading r = Texts.read(hostile);
        assertThat((System.nanoTime() - start) / 1e6).isLessThan(500);
        assertThat(r.sentiment()).isBetween(-1.0, 1.0);
    }
}
