#!/usr/bin/env python3
"""Writes Attune's labelled decision evaluation: two halves (tune, heldout) of customer journeys
as Segment-style records, and one label per journey saying what a good engine does and must not do.

Written from the seed systems' descriptions (docs/CONTRACT.md, docs/decisions.md, /work/shared/DESIGN.md)
and from how real trackers emit events, never from Attune's decision code. Deterministic: the same
seed gives the same bytes.

    python3 src/test/resources/eval/make_eval.py            # writes tune/ and heldout/ beside this file

Every free text (cancellation reasons, tickets, survey comments) belongs to exactly one half, so tuning
on one half cannot leak phrasings into the other.
"""
import json
import os
import random
import shutil
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
SPLITS = {"tune": 20261204, "heldout": 40221126}
LANGS = ["en", "de", "fr", "es"]
LOCALES = {"en": ["en-US", "en-GB", "en-IE"], "de": ["de-DE", "de-AT", "de-CH"],
           "fr": ["fr-FR", "fr-BE", "fr-CA"], "es": ["es-ES", "es-MX", "es-AR"]}
ZONES = {"en": ["America/New_York", "Europe/London", "America/Chicago", "Australia/Sydney"],
         "de": ["Europe/Berlin", "Europe/Vienna", "Europe/Zurich"],
         "fr": ["Europe/Paris", "Europe/Brussels", "America/Montreal"],
         "es": ["Europe/Madrid", "America/Mexico_City", "America/Argentina/Buenos_Aires"]}
HELP_TYPES = ["help_tip", "live_chat_offer"]
ALL = ["*"]

# ---------------------------------------------------------------- free texts, [tune, heldout] per key
# Cancellation reasons: (category, language) -> (tune phrases, heldout phrases)
CANCEL = {
    ("pricing", "en"): (["Your price went up 40% at renewal and we can't justify it anymore.",
                         "Too expensive for a team our size, the new per-seat pricing killed it."],
                        ["The renewal quote doubled. We simply can't afford it on our budget.",
                         "Costs too much now that you charge for every user."]),
    ("pricing", "de"): (["Der Preis ist nach der Verlängerung um 30 % gestiegen, das ist uns zu teuer.",
                         "Zu teuer für unser kleines Team."],
                        ["Die neuen Preise können wir uns nicht mehr leisten.",
                         "Das Abo kostet jetzt fast doppelt so viel, viel zu teuer."]),
    ("pricing", "fr"): (["Le prix a augmenté de 35 % au renouvellement, c'est trop cher pour nous.",
                         "Trop cher pour une petite équipe comme la nôtre."],
                        ["Les nouveaux tarifs sont hors de notre budget.",
                         "L'abonnement coûte maintenant presque le double, c'est trop cher."]),
    ("pricing", "es"): (["El precio subió un 30 % en la renovación y ya no nos compensa, es demasiado caro.",
                         "Demasiado caro para un equipo pequeño."],
                        ["Con las nuevas tarifas ya no nos lo podemos permitir.",
                         "La suscripción cuesta casi el doble ahora, es muy cara."]),
    ("features", "en"): (["No public API, so we couldn't connect it to our warehouse.",
                          "Missing a Salesforce integration, which was a must for us."],
                         ["We needed SSO and webhooks and you still don't have them.",
                          "Lacks the HubSpot integration our sales team depends on."]),
    ("features", "de"): (["Es fehlt eine API, wir konnten es nicht an unser System anbinden.",
                          "Keine Integration mit SAP, das war für uns Pflicht."],
                         ["Uns fehlen Webhooks und eine Schnittstelle zu Salesforce.",
                          "Die Funktion für Mehrfachwährungen gibt es immer noch nicht."]),
    ("features", "fr"): (["Pas d'API, impossible de le connecter à notre entrepôt de données.",
                          "Il manque une intégration avec Salesforce, indispensable pour nous."],
                         ["Nous avions besoin du SSO et des webhooks, toujours absents.",
                          "La fonctionnalité d'export que nous attendions n'existe pas."]),
    ("features", "es"): (["No tiene API, no pudimos conectarlo con nuestro sistema.",
                          "Falta la integración con Salesforce, que era imprescindible."],
                         ["Necesitábamos SSO y webhooks y siguen sin estar.",
                          "No tiene la función de facturación multimoneda que necesitamos."]),
    ("onboarding", "en"): (["We never got the setup working, the import kept failing.",
                            "Onboarding was confusing and nobody on the team could figure out how to configure it."],
                           ["Spent two weeks trying to set it up and it never worked.",
                            "Too hard to get started, the installation guide didn't match what we saw."]),
    ("onboarding", "de"): (["Die Einrichtung hat nie funktioniert, der Import ist ständig fehlgeschlagen.",
                            "Das Onboarding war zu kompliziert, wir sind nicht zurechtgekommen."],
                           ["Wir haben es nie geschafft, das Tool einzurichten.",
                            "Die Installation war zu schwierig und die Anleitung unklar."]),
    ("onboarding", "fr"): (["La configuration n'a jamais fonctionné, l'import échouait sans arrêt.",
                            "La prise en main était trop compliquée pour l'équipe."],
                           ["Nous n'avons jamais réussi à installer l'outil correctement.",
                            "Trop difficile à mettre en place, le guide de démarrage était flou."]),
    ("onboarding", "es"): (["Nunca logramos que la configuración funcionara, la importación fallaba siempre.",
                            "La puesta en marcha fue demasiado complicada para el equipo."],
                           ["No conseguimos instalarlo bien en dos semanas.",
                            "Era muy difícil empezar, la guía de configuración no servía."]),
    ("competition", "en"): (["Switching to HubSpot, they bundle this with our CRM.",
                             "We moved to Mailchimp, it does the same for less."],
                            ["Going with Klaviyo instead, their team won us over.",
                             "Braze offered us a better deal so we're migrating."]),
    ("competition", "de"): (["Wir wechseln zu HubSpot, das ist bei unserem CRM dabei.",
                             "Wir sind zu Mailchimp gewechselt."],
                            ["Wir gehen zur Konkurrenz, Klaviyo hat uns überzeugt.",
                             "Umstieg auf Brevo, die passen besser zu uns."]),
    ("competition", "fr"): (["Nous passons chez HubSpot, c'est inclus avec notre CRM.",
                             "Nous sommes partis chez Mailchimp."],
                            ["Nous avons choisi Brevo à la place.",
                             "Un concurrent, Klaviyo, nous a fait une meilleure offre."]),
    ("competition", "es"): (["Nos cambiamos a HubSpot, viene incluido con nuestro CRM.",
                             "Nos pasamos a Mailchimp."],
                            ["Elegimos a la competencia, Klaviyo nos convenció.",
                             "Migramos a Brevo, que se adapta mejor."]),
    ("business_closure", "en"): (["We're closing the business at the end of the month.",
                                  "Shutting down the company, thanks for everything."],
                                 ["Our shop is going out of business.",
                                  "The company is winding down operations, no longer needed."]),
    ("business_closure", "de"): (["Wir schließen unser Geschäft zum Monatsende.",
                                  "Die Firma wird aufgelöst."],
                                 ["Unser Laden macht dicht.",
                                  "Wir haben Insolvenz angemeldet und stellen den Betrieb ein."]),
    ("business_closure", "fr"): (["Nous fermons l'entreprise à la fin du mois.",
                                  "La société cesse son activité."],
                                 ["Notre boutique ferme définitivement.",
                                  "Nous sommes en liquidation, l'entreprise ferme."]),
    ("business_closure", "es"): (["Cerramos el negocio a final de mes.",
                                  "La empresa cesa su actividad."],
                                 ["Nuestra tienda cierra definitivamente.",
                                  "Estamos en liquidación y cerramos la empresa."]),
    ("unclear", "en"): (["Just not for us.", "n/a"],
                        ["Other reasons.", "Decided to stop for now."]),
    ("unclear", "de"): (["Passt einfach nicht.", "Sonstiges"],
                        ["Andere Gründe.", "Brauchen wir im Moment nicht."]),
    ("unclear", "fr"): (["Ça ne nous convient pas.", "Autre"],
                        ["Pour d'autres raisons.", "Nous arrêtons pour le moment."]),
    ("unclear", "es"): (["No es para nosotros.", "Otro"],
                        ["Por otros motivos.", "Lo dejamos por ahora."]),
}

ANGRY = {
    "en": (["This is the third outage this week. Completely unacceptable, we are losing sales!",
            "You charged my card twice this month and nobody answers. I am furious.",
            "Great, another outage. Just great.",
            "URGENT: checkout has been down for 2 hours, fix this now or we cancel."],
           ["Double charged AGAIN. This is ridiculous and I want a refund today.",
            "Wow, down again. Thanks a lot for ruining our launch day.",
            "Your service has been broken all morning, this is outrageous and unacceptable.",
            "I've emailed support four times about the billing error and got nothing. Disgusting service."]),
    "de": (["Schon wieder ein Ausfall, der dritte diese Woche. Völlig inakzeptabel!",
            "Sie haben mir zweimal abgebucht und niemand antwortet. Ich bin stinksauer.",
            "Super, wieder mal alles down. Ganz toll.",
            "DRINGEND: Der Checkout geht seit zwei Stunden nicht, wir verlieren Umsatz!"],
           ["Doppelte Abbuchung, schon wieder. Das ist eine Frechheit, ich will mein Geld zurück.",
            "Der Dienst ist seit heute Morgen kaputt, das ist unzumutbar.",
            "Vier E-Mails an den Support wegen der falschen Rechnung und keine Antwort. Katastrophal.",
            "Toll, wieder ein Ausfall mitten im Launch. Wirklich großartig gemacht."]),
    "fr": (["Encore une panne, la troisième cette semaine. C'est inacceptable !",
            "Vous m'avez débité deux fois et personne ne répond. Je suis furieux.",
            "Génial, encore une panne. Vraiment génial.",
            "URGENT : le paiement ne marche plus depuis deux heures, nous perdons des ventes !"],
           ["Prélevé deux fois, encore. C'est scandaleux, je veux un remboursement.",
            "Le service est en panne depuis ce matin, c'est inadmissible.",
            "Quatre mails au support pour une erreur de facture et aucune réponse. Service lamentable.",
            "Bravo, encore une coupure le jour de notre lancement. Merci beaucoup."]),
    "es": (["Otra caída, la tercera esta semana. ¡Es inaceptable!",
            "Me cobraron dos veces y nadie responde. Estoy furioso.",
            "Genial, otra caída. Simplemente genial.",
            "URGENTE: el pago no funciona desde hace dos horas, ¡estamos perdiendo ventas!"],
           ["Cobro duplicado otra vez. Es una vergüenza, quiero mi reembolso.",
            "El servicio lleva caído toda la mañana, es intolerable.",
            "Cuatro correos a soporte por un error de factura y ninguna respuesta. Pésimo servicio.",
            "Qué maravilla, otra caída el día del lanzamiento. Muchas gracias."]),
}

DETRACTOR = {
    "en": (["Support never got back to me and the app keeps crashing. Very disappointed.",
            "Slow, buggy and overpriced. Would not recommend.",
            "Really frustrating experience, lost a day of work to your bugs."],
           ["Terrible experience, the sync broke twice and I lost data.",
            "Disappointed. Nothing works the way the demo promised.",
            "Awful customer service, I waited a week for an answer."]),
    "de": (["Der Support meldet sich nie und die App stürzt ständig ab. Sehr enttäuscht.",
            "Langsam, fehlerhaft und zu teuer. Nicht zu empfehlen.",
            "Wirklich frustrierend, ich habe einen ganzen Arbeitstag verloren."],
           ["Schlechte Erfahrung, die Synchronisierung ist zweimal kaputtgegangen.",
            "Enttäuschend. Nichts funktioniert wie in der Demo versprochen.",
            "Miserabler Kundenservice, eine Woche auf eine Antwort gewartet."]),
    "fr": (["Le support ne m'a jamais répondu et l'appli plante sans arrêt. Très déçu.",
            "Lent, plein de bugs et trop cher. Je ne recommande pas.",
            "Expérience vraiment frustrante, j'ai perdu une journée de travail."],
           ["Expérience horrible, la synchronisation a cassé deux fois et j'ai perdu des données.",
            "Déçu. Rien ne marche comme dans la démo.",
            "Service client déplorable, une semaine pour avoir une réponse."]),
    "es": (["El soporte nunca me respondió y la aplicación se cuelga todo el tiempo. Muy decepcionado.",
            "Lento, con errores y caro. No lo recomiendo.",
            "Experiencia muy frustrante, perdí un día de trabajo."],
           ["Experiencia horrible, la sincronización falló dos veces y perdí datos.",
            "Decepcionante. Nada funciona como en la demo.",
            "Atención al cliente pésima, esperé una semana por una respuesta."]),
}

CALM_TICKET = {  # positive or neutral support tickets, negations included
    "en": (["Not bad at all, just wondering how to export my invoices as CSV?",
            "Quick question: can I add a second admin to our workspace? Thanks!",
            "Love the new dashboard. Is there a dark mode planned?"],
           ["No complaints here, only a question about changing our billing address.",
            "Could you tell me where to find the API key? Thanks a lot.",
            "Everything works nicely. How do I invite my colleague?"]),
    "de": (["Gar nicht schlecht! Wie kann ich Rechnungen als CSV exportieren?",
            "Kurze Frage: Kann ich einen zweiten Admin hinzufügen? Danke!",
            "Das neue Dashboard gefällt mir sehr. Kommt ein Dunkelmodus?"],
           ["Alles bestens, nur eine Frage zur Änderung der Rechnungsadresse.",
            "Wo finde ich den API-Schlüssel? Vielen Dank.",
            "Nicht schlecht, das neue Update. Wie lade ich Kollegen ein?"]),
    "fr": (["Pas mal du tout ! Comment exporter mes factures en CSV ?",
            "Petite question : puis-je ajouter un deuxième administrateur ? Merci !",
            "J'adore le nouveau tableau de bord. Un mode sombre est prévu ?"],
           ["Rien à redire, juste une question pour changer l'adresse de facturation.",
            "Où puis-je trouver la clé API ? Merci beaucoup.",
            "Tout fonctionne bien. Comment inviter un collègue ?"]),
    "es": (["¡No está nada mal! ¿Cómo exporto las facturas en CSV?",
            "Una pregunta rápida: ¿puedo añadir un segundo administrador? ¡Gracias!",
            "Me encanta el nuevo panel. ¿Habrá modo oscuro?"],
           ["Todo bien, solo una duda sobre cómo cambiar la dirección de facturación.",
            "¿Dónde encuentro la clave de la API? Muchas gracias.",
            "No está mal la nueva versión. ¿Cómo invito a un compañero?"]),
}

PROMOTER = {  # comments with NPS 9-10 / CSAT 4-5, or neutral 7-8
    "en": (["Great product, the team loves it.", "Not bad at all, does what we need."],
           ["Super helpful support and a clean interface.", "Works well for us, nothing to complain about."]),
    "de": (["Tolles Produkt, das Team ist begeistert.", "Nicht schlecht, macht was es soll."],
           ["Sehr hilfreicher Support und eine klare Oberfläche.", "Funktioniert gut, keine Beschwerden."]),
    "fr": (["Super produit, l'équipe l'adore.", "Pas mal du tout, ça fait ce qu'il faut."],
           ["Support très réactif et interface claire.", "Ça marche bien pour nous, rien à redire."]),
    "es": (["Gran producto, al equipo le encanta.", "No está nada mal, hace lo que necesitamos."],
           ["Soporte muy útil y una interfaz limpia.", "Funciona bien, no tenemos quejas."]),
}

# ---------------------------------------------------------------- pages, features, codes (not free text)
CALC_PAGES = ["Loan Calculator", "/calculator/loan", "Mortgage Calculator", "loan-calculator", "Savings Calculator",
              "/tools/repayment-calculator"]
FORM_PAGES = ["Signup Form", "/apply/personal-details", "Account Settings", "/onboarding/company", "KYC – Upload ID",
              "/documents/upload", "Contact Details"]
CHECKOUT_PAGES = ["Checkout – Payment", "/checkout/payment", "checkout", "Payment Details", "/cart/checkout"]
BROWSE_PAGES = ["Home", "/pricing", "Product – Blue Kettle", "/blog/5-tips-for-saving", "Dashboard", "/reports",
                "Features", "/integrations", "Team", "/products/wireless-earbuds", "Search Results", "/account/profile"]
HELP_PAGES = ["Help Center", "/help/articles/export-data", "/help/getting-started", "Help – Invite teammates",
              "/docs/api/authentication", "FAQ"]
CANCEL_PAGES = ["/account/cancel", "Cancel Subscription", "/settings/billing/cancel", "Close Account",
                "/account/close", "Cancel plan – Confirm"]
BILLING_PAGES = ["Billing", "/settings/billing", "/account/billing", "Invoices"]
PAY_ERRORS = [("card_declined", "Your card was declined."), ("PAYMENT_FAILED", "Payment could not be processed"),
              ("3ds_authentication_failed", "3D Secure authentication failed"),
              ("insufficient_funds", "Your card has insufficient funds."),
              ("expired_card", "Your card has expired."), ("PSP_TIMEOUT", "Payment provider timed out"),
              ("authentication_required", "Additional authentication required")]
LIBRARIES = [{"name": "analytics.js", "version": "5.2.1"}, {"name": "@segment/analytics-next", "version": "1.70.0"},
             {"name": "analytics-ios", "version": "4.1.8"}, {"name": "rudder-sdk-js", "version": "3.0.10"},
             {"name": "analytics-android", "version": "4.11.3"}]


def iso(dt, rng, zone):
    """Event time as a tracker writes it: UTC Z, a local offset, or epoch millis."""
    r = rng.random()
    if r < 0.12:
        return int(dt.timestamp() * 1000)
    if r < 0.45:
        return dt.astimezone(ZoneInfo(zone)).isoformat(timespec="milliseconds")
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def slug(page):
    return "/" + page.strip("/").lower().replace(" – ", "/").replace(" ", "-") if not page.startswith("/") else page


class Journey:
    def __init__(self, split, n, rng, kind, lang=None, anonymous=False, start=None):
        self.rng = rng
        self.kind = kind
        self.lang = lang
        self.id = f"{split}-{n:04d}"
        tag = format(rng.getrandbits(24), "06x")
        self.user = None if anonymous else f"u-{split[0]}{n:04d}-{tag}"
        self.anon = f"anon-{tag}{format(rng.getrandbits(32), '08x')}"
        self.zone = rng.choice(ZONES[lang or rng.choice(LANGS)])
        # locale: usually agrees with the language written in, sometimes not, sometimes absent
        r = rng.random()
        if r < 0.2:
            self.locale = rng.choice(LOCALES[rng.choice([x for x in LANGS if x != (lang or "en")])])
        elif r < 0.35:
            self.locale = None
        else:
            self.locale = rng.choice(LOCALES[lang or "en"])
        self.t = start or (datetime(2026, 11, 2, tzinfo=timezone.utc)
                           + timedelta(days=rng.randint(0, 24), seconds=rng.randint(7 * 3600, 20 * 3600)))
        self.t = self.t.replace(microsecond=rng.randint(0, 999) * 1000)
        self.lib = rng.choice(LIBRARIES)
        self.records = {"user-events": [], "engagement-events": [], "campaign-requests": []}
        self.seq = 0

    def wait(self, lo, hi):
        self.t += timedelta(milliseconds=self.rng.randint(int(lo * 1000), int(hi * 1000)))

    def _base(self, typ, page=None):
        self.seq += 1
        mid = f"{self.id}-{self.seq:02d}-{format(self.rng.getrandbits(40), '010x')}"
        rec = {"messageId": mid, "type": typ}
        if self.user:
            rec["userId"] = self.user
            if self.rng.random() < 0.5:
                rec["anonymousId"] = self.anon
        else:
            rec["anonymousId"] = self.anon
        rec["timestamp"] = iso(self.t, self.rng, self.zone)
        rec["sentAt"] = (self.t + timedelta(milliseconds=self.rng.randint(20, 900))).astimezone(
            timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        ctx = {"library": self.lib}
        if self.locale:
            ctx["locale"] = self.locale
        if self.rng.random() < 0.7:
            ctx["timezone"] = self.zone
        if page:
            path = slug(page)
            ctx["page"] = {"path": path, "url": "https://app.example.com" + path, "title": page}
        if self.rng.random() < 0.4:
            ctx["userAgent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
        rec["context"] = ctx
        if self.rng.random() < 0.3:
            rec["integrations"] = {"All": True}
        return rec

    def page(self, name, duration=None):
        rec = self._base("page", name)
        r = self.rng.random()
        if r < 0.6:
            rec["name"] = name
            rec["properties"] = {"path": slug(name)}
        else:
            rec["properties"] = {"name": name, "path": slug(name), "referrer": "https://www.google.com/"}
        if duration is not None:
            rec["properties"]["durationMs"] = duration
        return self._add("user-events", rec)

    def track(self, event, props=None, page=None, stream="user-events"):
        rec = self._base("track", page)
        rec["event"] = event
        rec["properties"] = props or {}
        return self._add(stream, rec)

    def identify(self, traits, stream="user-events"):
        rec = self._base("identify")
        rec["traits"] = traits
        return self._add(stream, rec)

    def request(self, req_id, campaign, channels=None, category=None, offer=None):
        rec = {"requestId": req_id, "campaignId": campaign, "userId": self.user,
               "timestamp": iso(self.t, self.rng, self.zone)}
        if channels:
            rec["channels"] = channels
        if category:
            rec["category"] = category
        if offer:
            rec["offer"] = offer
        self.records["campaign-requests"].append(rec)
        return req_id

    def _add(self, stream, rec):
        self.records[stream].append(rec)
        return rec["messageId"]

    def browse(self, n):
        for _ in range(n):
            self.page(self.rng.choice(BROWSE_PAGES), self.rng.randint(3_000, 90_000))
            self.wait(20, 240)

    def label(self, types, strong=None, must_not=None, **extra):
        expect = {"types": types, "maxDelayMs": 5000}
        if strong:
            expect["firstStrongSign"] = strong
        expect.update(extra)
        return {"journeyId": self.id, "userId": self.user or self.anon, "kind": self.kind,
                "language": self.lang, "expect": expect, "mustNot": must_not if must_not is not None else ALL}


def text(table, key, split, rng):
    return rng.choice(table[key][0 if split == "tune" else 1])


# ---------------------------------------------------------------- journeys per kind

def decisive_struggle(j, split):
    rng = j.rng
    where = rng.choice(["calc", "calc", "form", "checkout", "upload"])
    j.browse(rng.randint(1, 4))
    page = {"calc": rng.choice(CALC_PAGES), "form": rng.choice(FORM_PAGES), "checkout": rng.choice(CHECKOUT_PAGES),
            "upload": rng.choice(["/documents/upload", "Upload Documents", "KYC – Upload ID"])}[where]
    j.page(page, rng.randint(20_000, 180_000))
    j.wait(5, 60)
    if where == "calc":
        j.track("Feature Used", {"feature": rng.choice(["loan_calculator", "calculator", "repayment_slider"])}, page)
        j.wait(4, 40)
    kind = rng.choice(["repeated_attempt", "form_error"] if where != "upload" else ["repeated_attempt", "dead_click"])
    strong = j.track("Struggle Signal", {"kind": kind, "attempts": rng.choice([3, 3, 3, 4, 5, 6]),
                                         "element": rng.choice(["#submit", "button.calculate", "input[name=amount]",
                                                                "form#apply", ".upload-dropzone"])}, page)
    if rng.random() < 0.5:
        j.wait(10, 90)
        j.page(rng.choice(HELP_PAGES + BROWSE_PAGES), rng.randint(2_000, 30_000))
    return j.label(["live_chat_offer"], strong, ["win_back", "service_recovery", "retention_offer"])


def struggle_burst(j, split):
    rng = j.rng
    page = rng.choice(CALC_PAGES + FORM_PAGES + CHECKOUT_PAGES + ["Dashboard", "/reports/export"])
    j.browse(rng.randint(1, 3))
    j.page(page, rng.randint(10_000, 120_000))
    j.wait(3, 30)
    n = rng.randint(3, 5)
    ids = []
    for _ in range(n):
        ids.append(j.track("Struggle Signal", {"kind": rng.choice(["rage_click", "dead_click", "form_error",
                                                                   "rage_click"]),
                                               "attempts": rng.choice([1, 1, 2])}, page))
        j.wait(2, 25)
    # judgement: one click of trouble can be noise; the second struggle within a minute or two is trouble
    return j.label(HELP_TYPES, ids[1], ["win_back", "service_recovery", "retention_offer"])


def checkout_error(j, split):
    rng = j.rng
    j.browse(rng.randint(1, 3))
    j.page(rng.choice(["Cart", "/cart", "Basket"]), rng.randint(5_000, 60_000))
    j.wait(5, 60)
    value = round(rng.uniform(19, 900), 2)
    cur = rng.choice(["USD", "EUR", "GBP"])
    page = rng.choice(CHECKOUT_PAGES)
    j.track("Checkout Started", {"revenue": value, "currency": cur, "order_id": f"o-{rng.getrandbits(30)}"}, page)
    j.wait(15, 120)
    code, msg = rng.choice(PAY_ERRORS)
    strong = j.track("Error Shown", {"code": code, "message": msg}, page)
    if rng.random() < 0.6:
        j.wait(10, 50)
        code2, msg2 = rng.choice(PAY_ERRORS)
        j.track("Error Shown", {"code": code2, "message": msg2}, page)
    if rng.random() < 0.3:
        j.wait(5, 30)
        j.track("Struggle Signal", {"kind": "rage_click", "attempts": rng.randint(1, 2)}, page)
    return j.label(HELP_TYPES, strong, ["win_back", "service_recovery"])


def about_to_cancel(j, split):
    rng = j.rng
    j.browse(rng.randint(1, 3))
    if rng.random() < 0.4:
        j.page(rng.choice(BILLING_PAGES), rng.randint(5_000, 40_000))
        j.wait(10, 60)
    strong = j.page(rng.choice(CANCEL_PAGES), rng.randint(8_000, 90_000))
    if rng.random() < 0.5:
        j.wait(20, 300)
        j.page(rng.choice(CANCEL_PAGES), rng.randint(5_000, 60_000))
    return j.label(["retention_offer"], strong, ["win_back"])


def cancelled(j, split, category):
    rng = j.rng
    traits = {"plan": rng.choice(["starter", "pro", "team"]),
              "consent": {"email": True, "sms": rng.random() < 0.5}, "timezone": j.zone}
    if j.locale:
        traits["locale"] = j.locale
    j.identify(traits)
    j.wait(60, 3600)
    j.browse(rng.randint(1, 2))
    reason = text(CANCEL, (category, j.lang), split, rng)
    strong = j.track("Subscription Cancelled", {"reason": reason, "plan": traits["plan"],
                                                "mrr": rng.choice([29, 49, 99, 249]),
                                                "tier": rng.choice(["basic", "premium", "standard"])})
    return j.label(["win_back"], strong, ["service_recovery"], churnCategory=category,
                   refusedChannels=[] if traits["consent"]["sms"] else ["sms"])


def angry_ticket(j, split):
    rng = j.rng
    j.browse(rng.randint(0, 2))
    props = {"text": text(ANGRY, j.lang, split, rng), "subject": rng.choice(["Outage", "Billing", "Help", "!!!"])}
    pr = rng.choice(["urgent", "high", "high", "normal", None])
    if pr:
        props["priority"] = pr
    strong = j.track("Support Ticket Created", props)
    return j.label(["service_recovery"], strong, ["win_back"])


def detractor(j, split):
    rng = j.rng
    j.browse(rng.randint(0, 2))
    if rng.random() < 0.6:
        props = {"scale": "nps", "score": rng.randint(0, 6)}
    else:
        props = {"scale": "csat", "score": rng.randint(1, 2)}
    props["comment"] = text(DETRACTOR, j.lang, split, rng)
    props["surveyId"] = rng.choice(["nps-q4", "csat-support", "relationship-2026"])
    strong = j.track("Survey Answered", props)
    return j.label(["service_recovery"], strong, ["win_back"])


def anonymous_struggle(j, split):
    rng = j.rng
    page = rng.choice(CALC_PAGES + CHECKOUT_PAGES + FORM_PAGES)
    j.page(rng.choice(["Home", "/pricing", "Landing – Loans"]), rng.randint(3_000, 40_000))
    j.wait(10, 90)
    j.page(page, rng.randint(20_000, 150_000))
    j.wait(5, 60)
    strong = j.track("Struggle Signal", {"kind": rng.choice(["repeated_attempt", "form_error"]),
                                         "attempts": rng.choice([3, 4, 5])}, page)
    return j.label(HELP_TYPES, strong, ["win_back", "service_recovery", "retention_offer"])


# ---------------------------------------------------------------- calm customers

def calm(j, split, variant):
    rng = j.rng
    j.kind = "calm_" + variant
    if variant == "browsing":
        j.browse(rng.randint(4, 12))
    elif variant == "buying":
        j.browse(rng.randint(2, 5))
        page = rng.choice(CHECKOUT_PAGES)
        j.track("Checkout Started", {"revenue": 59.0, "currency": "EUR"}, page)
        j.wait(30, 200)
        j.track("Order Completed", {"revenue": round(rng.uniform(10, 400), 2),
                                    "currency": rng.choice(["USD", "EUR", "GBP"]),
                                    "order_id": f"o-{rng.getrandbits(30)}"}, page)
        j.wait(5, 30)
        j.page(rng.choice(["Order Confirmation", "/checkout/thank-you"]), rng.randint(3_000, 20_000))
    elif variant == "slow_page":
        j.browse(rng.randint(1, 3))
        page = rng.choice(BROWSE_PAGES)
        j.page(page, rng.randint(8_000, 20_000))
        j.track("Struggle Signal", {"kind": "slow_page", "attempts": 1, "loadMs": rng.randint(4_000, 9_000)}, page)
        j.wait(60, 300)
        j.browse(rng.randint(1, 3))
    elif variant == "form_error_fixed":
        page = rng.choice(FORM_PAGES)
        j.page(page, rng.randint(20_000, 90_000))
        j.wait(10, 60)
        j.track("Struggle Signal", {"kind": "form_error", "attempts": 1, "field": rng.choice(["iban", "zip", "email"])},
                page)
        j.wait(4, 15)
        j.track("Feature Used", {"feature": "form_submitted"}, page)
        j.wait(20, 120)
        j.browse(rng.randint(1, 2))
    elif variant == "ticket":
        j.browse(rng.randint(0, 2))
        j.track("Support Ticket Created", {"text": text(CALM_TICKET, j.lang, split, rng), "priority": "normal"})
    elif variant == "promoter":
        j.browse(rng.randint(0, 2))
        if rng.random() < 0.6:
            props = {"scale": "nps", "score": rng.randint(7, 10)}
        else:
            props = {"scale": "csat", "score": rng.randint(4, 5)}
        props["comment"] = text(PROMOTER, j.lang, split, rng)
        j.track("Survey Answered", props)
    elif variant == "invoice":
        j.browse(rng.randint(1, 2))
        page = rng.choice(BILLING_PAGES)
        j.page(page, rng.randint(5_000, 30_000))
        j.wait(5, 40)
        j.track("Invoice Downloaded", {"invoiceId": f"inv-{rng.getrandbits(24)}", "format": "pdf"}, page)
        j.wait(30, 200)
        j.browse(1)
    elif variant == "help_reading":
        for _ in range(rng.randint(2, 4)):
            j.page(rng.choice(HELP_PAGES), rng.randint(40_000, 240_000))
            j.wait(60, 300)
    return j.label([], None, ALL)


# ---------------------------------------------------------------- campaigns

def local_at(j, day, hour, minute):
    z = ZoneInfo(j.zone)
    d = j.t.astimezone(z).date() + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=z).astimezone(timezone.utc)


def campaign(j, split, case):
    rng = j.rng
    j.kind = "campaign_" + case
    camp = rng.choice(["winter-sale-2026", "black-friday", "feature-launch-q4", "renewal-nudge"])
    base_consent = {"email": True, "sms": True, "whatsapp": True}
    traits = {"timezone": j.zone, "email": "someone@example.com", "phone": "+4915112345678"}
    if j.locale:
        traits["locale"] = j.locale
    # decisions are asked at 14:xx local unless the case says otherwise
    j.t = local_at(j, 0, 10, rng.randint(0, 59))
    refused = []
    ch = ["email"]
    expect = {"decision": "send", "channel": "email"}
    if case == "send":
        traits["consent"] = base_consent
        ch = rng.choice([["email"], ["sms"], ["whatsapp"], None])
        expect = {"decision": "send", "channel": ch[0] if ch else None,
                  "channelIn": ch if ch else ["email", "sms", "whatsapp"]}
    elif case == "no_consent_absent":
        traits.pop("email")
        expect = {"decision": "suppress", "reason": "no_consent"}
    elif case == "no_consent_false":
        traits["consent"] = {"email": False, "sms": True}
        refused = ["email"]
        expect = {"decision": "suppress", "reason": "no_consent"}
    elif case == "unsubscribed":
        traits["consent"] = base_consent
    elif case == "complained":
        traits["consent"] = base_consent
    elif case == "hard_bounced":
        traits["consent"] = base_consent
    elif case == "fatigue_day":
        traits["consent"] = base_consent
    elif case == "fatigue_week":
        traits["consent"] = base_consent
    elif case == "night":
        traits["consent"] = base_consent
    j.identify(traits, stream=rng.choice(["user-events", "engagement-events"]))
    j.wait(30, 600)
    j.browse(rng.randint(1, 3))
    if case == "unsubscribed":
        props = {"campaignId": "newsletter"}
        if rng.random() < 0.5:
            props["channel"] = "email"
        j.track("Unsubscribed", props, stream="engagement-events")
        refused = ["email"] if "channel" in props else ["email", "sms", "whatsapp", "voice", "push", "in_app"]
        expect = {"decision": "suppress", "reason": "unsubscribed"}
    elif case == "complained":
        j.track("Message Complained", {"channel": "email", "campaignId": "autumn-promo", "sendId": "ext-1"},
                stream="engagement-events")
        refused = ["email"]
        expect = {"decision": "suppress", "reason": "unsubscribed"}
    elif case == "hard_bounced":
        j.track("Message Bounced", {"channel": "email", "campaignId": "autumn-promo", "sendId": "ext-2",
                                    "bounceType": "hard", "reason": "550 5.1.1 mailbox does not exist"},
                stream="engagement-events")
        refused = ["email"]
        expect = {"decision": "suppress", "reason": "unreachable"}
    elif case == "fatigue_day":
        # one promotional email already sent today by another system: email's 1-a-day cap is full
        j.t = local_at(j, 0, 9, rng.randint(0, 50))
        j.track("Message Sent", {"channel": "email", "campaignId": "daily-deals", "sendId": f"esp-{rng.getrandbits(30)}",
                                 "category": "promotional"}, stream="engagement-events")
        j.t = local_at(j, 0, 13, rng.randint(0, 59))
        expect = {"decision": "suppress", "reason": "fatigue_cap"}
    elif case == "fatigue_week":
        # three promotional emails on three earlier days this week: email's 3-a-week cap is full
        start = j.t
        for d in (-5, -3, -1):
            j.t = start
            j.t = local_at(j, d, 11, rng.randint(0, 59))
            j.track("Message Sent", {"channel": "email", "campaignId": "weekly-digest",
                                     "sendId": f"esp-{rng.getrandbits(30)}"}, stream="engagement-events")
        j.t = start + timedelta(hours=4)
        expect = {"decision": "suppress", "reason": "fatigue_cap"}
    elif case == "night":
        j.t = local_at(j, 0, rng.choice([22, 23]), rng.randint(0, 59))
        expect = {"decision": "send", "channel": "email"}
    else:
        j.wait(60, 600)
    req = j.request(f"req-{j.id}", camp, channels=ch,
                    offer=rng.choice([None, {"sku": "SKU-1", "discountPct": 15}, {"title": "Winter deals"}]))
    if expect["decision"] == "send":
        expect["quietHours"] = {"zone": j.zone, "start": "21:00", "end": "08:00"}
        if case == "night":
            expect["scheduledNotBefore"] = local_at(j, 1, 8, 0).isoformat().replace("+00:00", "Z")
    lab = j.label([], None, ALL, campaign={req: expect}, refusedChannels=refused)
    return lab


# ---------------------------------------------------------------- the plan per half

def plan(rng):
    items = []
    for _ in range(18):
        items.append(("decisive_struggle", None, decisive_struggle, ()))
    for _ in range(16):
        items.append(("struggle_burst", None, struggle_burst, ()))
    for _ in range(16):
        items.append(("checkout_error", None, checkout_error, ()))
    for _ in range(14):
        items.append(("about_to_cancel", None, about_to_cancel, ()))
    cats = ["pricing", "features", "onboarding", "competition", "business_closure", "unclear"]
    for lang in LANGS:
        for c in cats:
            for _ in range(2):
                items.append(("cancelled", lang, cancelled, (c,)))
    for lang in LANGS:
        for _ in range(4):
            items.append(("angry_ticket", lang, angry_ticket, ()))
        for _ in range(3):
            items.append(("detractor", lang, detractor, ()))
    for _ in range(10):
        items.append(("anonymous_struggle", None, anonymous_struggle, ()))
    variants = ["browsing"] * 14 + ["buying"] * 12 + ["slow_page"] * 8 + ["form_error_fixed"] * 8 + \
               ["invoice"] * 8 + ["help_reading"] * 8
    for v in variants:
        items.append(("calm", None, calm, (v,)))
    for lang in LANGS:
        for _ in range(3):
            items.append(("calm", lang, calm, ("ticket",)))
            items.append(("calm", lang, calm, ("promoter",)))
    for case in ["send"] * 4 + ["no_consent_absent", "no_consent_false", "unsubscribed", "unsubscribed", "complained",
                                "hard_bounced", "fatigue_day", "fatigue_week", "night", "night"]:
        items.append(("campaign", None, campaign, (case,)))
    rng.shuffle(items)
    return items


def write(split, seed):
    rng = random.Random(seed)
    out = os.path.join(HERE, split)
    if os.path.exists(out):
        shutil.rmtree(out)
    streams = {"user-events": [], "engagement-events": [], "campaign-requests": []}
    labels = []
    for n, (kind, lang, fn, args) in enumerate(plan(rng), start=1):
        j = Journey(split, n, random.Random(rng.getrandbits(64)), kind, lang, anonymous=(kind == "anonymous_struggle"))
        labels.append(fn(j, split, *args))
        for s, recs in j.records.items():
            streams[s].extend(recs)
    for s, recs in streams.items():
        rng.shuffle(recs)  # journeys overlap and arrive in any order: the engine decides in event time
        os.makedirs(os.path.join(out, s), exist_ok=True)
        half = len(recs) // 2
        for i, part in enumerate([recs[:half], recs[half:]]):
            with open(os.path.join(out, s, f"part-{i}.jsonl"), "w", encoding="utf-8") as f:
                for r in part:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(out, "labels.jsonl"), "w", encoding="utf-8") as f:
        for lab in labels:
            f.write(json.dumps(lab, ensure_ascii=False, sort_keys=True) + "\n")
    return labels


if __name__ == "__main__":
    for split, seed in SPLITS.items():
        labels = write(split, seed)
        risky = sum(1 for l in labels if l["expect"]["types"])
        print(f"{split}: {len(labels)} journeys, {risky} at risk ({risky / len(labels):.0%})")
