"""The departments of an EPS with default staffing and action cards (plain data, after DSB's EPS guidance)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DepartmentTemplate:
    key: str
    title: str
    staff_needed: int
    actions: tuple[str, ...]


# Copied into each new EPS's departments (title and action card), which the EPS then edits: stored as data, in
# Norwegian (i18n), like every record users write.
DEPARTMENTS: tuple[DepartmentTemplate, ...] = (
    DepartmentTemplate(  # i18n: stored as data (a default department and action card users edit)
        "mottak",
        "Mottak og registrering",
        4,
        (
            "Sett opp registreringsskranke ved inngangen, skilt «Registrering» på norsk og engelsk.",
            "Registrer alle som kommer inn: navn, fødselsdato, telefon, adresse og behov.",
            "Registrer husstander samlet, slik at familier holdes sammen.",
            "Henvis personer med behov for helsehjelp til helsepersonell straks.",
            "Registrer utsjekk med reisemål for alle som forlater senteret.",
            "Meld belegg til EPS-leder hver hele time.",
        ),
    ),
    DepartmentTemplate(  # i18n: stored as data (a default department and action card users edit)
        "evakuerte",
        "Senter for evakuerte",
        4,
        (
            "Klargjør oppholdsareal med sitteplasser, varme og belysning.",
            "Gi de evakuerte jevnlig informasjon om situasjonen.",
            "Følg med på personer som trenger psykososial støtte; kontakt kriseteamet.",
            "Hold oversikt over hvem som er til stede sammen med mottak.",
        ),
    ),
    DepartmentTemplate(  # i18n: stored as data (a default department and action card users edit)
        "parorende",
        "Senter for pårørende",
        3,
        (
            "Skill pårørendesenteret fysisk fra de evakuerte og fra media.",
            "Ta imot henvendelser fra pårørende og registrer dem i systemet.",
            "Bekreft gjenforening først når begge parter er identifisert – aldri automatisk.",
            "Gi ikke opplysninger om personer til andre enn dokumenterte pårørende.",
        ),
    ),
    DepartmentTemplate(  # i18n: stored as data (a default department and action card users edit)
        "samtalerom",
        "Samtalerom",
        2,
        (
            "Klargjør skjermede rom for samtaler og dødsbudskap.",
            "Avtal med politiet hvem som formidler dødsbudskap, og hvor.",
            "Sørg for at psykososialt kriseteam er tilgjengelig.",
        ),
    ),
    DepartmentTemplate(  # i18n: stored as data (a default department and action card users edit)
        "informasjon",
        "Informasjon",
        2,
        (
            "Hold oppslagstavle med siste informasjon oppdatert; før tidspunkt på hver melding.",
            "Koordiner all informasjon med kommunens kommunikasjonsavdeling og politiet.",
            "Henvis media til pressekontakt; ingen intervjuer inne i senteret.",
        ),
    ),
    DepartmentTemplate(  # i18n: stored as data (a default department and action card users edit)
        "vakthold",
        "Vakthold og adgangskontroll",
        2,
        (
            "Kontroller alle innganger; kun registrerte personer og mannskap slipper inn.",
            "Hold media og uvedkommende utenfor senteret.",
            "Kjenn rømningsveier og antall personer i bygget.",
        ),
    ),
    DepartmentTemplate(  # i18n: stored as data (a default department and action card users edit)
        "forpleining",
        "Forpleining",
        3,
        (
            "Sørg for drikke og mat; ta hensyn til spesialkost og allergier.",
            "Avtal leveranser med leverandør eller frivillige organisasjoner.",
            "Før oversikt over forbruk for etterfølgende refusjon.",
        ),
    ),
    DepartmentTemplate(  # i18n: stored as data (a default department and action card users edit)
        "innkvartering",
        "Innkvartering",
        2,
        (
            "Finn overnatting for dem som ikke kan dra hjem eller til familie.",
            "Ta hensyn til kjæledyr, mobilitet og helsebehov ved innkvartering.",
            "Meld reisemål til mottak når noen innkvarteres.",
        ),
    ),
)

DEPARTMENT_KEYS: tuple[str, ...] = tuple(template.key for template in DEPARTMENTS)


def default_actions(template: DepartmentTemplate) -> list[dict]:
    """Return the action card of a department as unchecked items."""
    return [{"text": text, "done": False, "done_at": None} for text in template.actions]
