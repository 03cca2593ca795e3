"""The text of the signed samarbeidsavtale 2025–2028, section by section, as written.

Paragraphs and list lines are separated by blank lines. The section «Evaluering» is printed as «4.» after
section 5 in the signed text; it is the sixth section and is numbered 6 here.
"""

SIGNED_SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "1",
        "Innledning /formål",
        (
            "Et godt samarbeid mellom kommune og politi er sentralt for å lykkes med å forebygge kriminalitet og "
            "uønskede hendelser i lokalsamfunnet. Denne samarbeidsavtalen skal bidra til å formalisere de "
            "gjensidige forpliktelsene Kristiansand kommune og politiet i Agder har i å forebygge kriminalitet, "
            "skape trygghet i lokalsamfunnet samt samarbeid om redning og beredskap. Målet er at partene får et "
            "felles utgangspunkt og en felles forståelse for hverandres kjerneoppgaver og intensjon om gjensidig "
            "samarbeid for å løse disse til det beste for innbyggerne.\n\n"
            "Samarbeidsavtalen er generell og overordnet. Eventuelle samarbeidsrutiner som utarbeides mellom "
            "etatene på et mer utøvende nivå vil være forankret i denne avtalen.\n\n"
            "For å kunne gjøre gode prioriteringer og iverksette effektive forebyggende tiltak, må partene ha god"
            " kunnskap om kriminalitetsutviklingen og om årsaker til kriminalitet og uønskede hendelser. Avtalen "
            "skal bidra til å styrke utvekslingen av kunnskap og sikre en bedre koordinering av innsats og tiltak"
            " innenfor avtalens virkeområde.\n\n"
            "Det er et utstrakt samarbeid mellom Agder politidistrikt og Kristiansand kommune. Denne "
            "samarbeidsavtalen regulerer kun det overordnede samarbeidet mellom kommunen og de lokale "
            "politistasjonene i Kristiansand og Søgne/Songdalen. Øvrige samarbeidsstrukturer som samarbeid med "
            "Akrimssenteret, Plattform, Konfliktrådet, Støttesenter for kriminalitetsutsatte, Bufetat, Sykehus "
            "m.m inngår ikke i avtalen. Dette er samarbeidsstrukturer på distrikt- og agdernivå og som reguleres "
            "i separate samarbeidsavtaler."
        ),
    ),
    (
        "2",
        "Forventninger til samarbeidet",
        (
            "Politi og kommune har begge sentrale oppgaver i det kriminalitetsforebyggende arbeidet og i å skape "
            "økt trygghet for innbyggerne, selv om det er to svært forskjellige aktører med sine respektive "
            "samfunnsoppdrag. Samarbeidet mellom etatene må bygges på en gjensidig forståelse og respekt for de "
            "ulike samfunnsoppdrag. En viktig generell forutsetning for et godt samarbeid mellom etater og "
            "virksomheter er god kjennskap til hverandres juridiske rammebetingelser.\n\n"
            "Politiets samfunnsoppdrag er forankret i politilovens §§1 og 2. Det er staten som skal sørge for "
            "polititjenestene som samfunnet har behov for. Politiets hovedoppgave er å bidra til redusert "
            "kriminalitet og skape økt trygghet for innbyggerne. Politiet har oppgaver innen en rekke fagområder;"
            " forebygging, straffesaksbehandling, politioperativt og beredskap, forvaltning, sivil rettspleie, "
            "etterretning, grense- og utlendingsforvaltning, trafiksikkerhet og ID forvaltning.\n\n"
            "Politiets virksomhetsstrategi «Politiet mot 2025» setter som ambisjon at politiet skal være i "
            "forkant av kriminaliteten. Det gis føringer om at politiet skal ha en systematisk, planmessig og "
            "kunnskapsbasert tilnærming til forebygging og samarbeide tett på tvers av fagområder og sektorer.\n\n"
            "Kommunenes samfunnsoppdrag er forankret i kommuneloven § 1 og i en rekke særlover som helse- og "
            "omsorgsloven, sosialtjenesteloven, barnevernloven, opplæringsloven m.fl. Målet er å yte velferd og "
            "gode tjenester til innbyggerne som skolegang, barnehage, sosialhjelp, barnevern, legehjelp og "
            "sykehjem. Kommunen har særskilt ansvar for forebyggende tjenester og for tiltak mot utsatte grupper "
            "og overfor enkeltindivider. I tillegg til å forvalte lover og regler skal kommunen være en aktiv "
            "samfunnsutvikler og sikre et levende lokaldemokrati.\n\n"
            "Forebygging av kriminalitet krever samarbeid både mellom offentlige etater, frivillig sektor, lokalt"
            " næringsliv og lokalsamfunnet for øvrig. Både politi og kommune har et felles ansvar å bidra til å "
            "legge til rette for et slik samarbeid og at innsatsen er koordinert.\n\n"
            "I Kristiansand kommune er det vedtatt en helhetlig overordnet plan for kriminalitetsforebygging – "
            "«Sammen om en tryggere hverdag». Denne er styrende for kommunens innsats mot kriminalitet og "
            "inkluderer forebygging på følgende 8 innsatsområder; - Barne og ungdomskriminalitet, - Vold i nære "
            "relasjoner, - Vold i det offentlige rom, - Radikalisering og voldelig ekstremisme, - "
            "Arbeidslivskriminalitet, - Hverdagskriminalitet, - Prostitusjon og menneskehandel, - Hatkriminalitet"
            " og hatefulle ytringer.\n\n"
            "Det kriminalitetsforebyggende arbeidet i kommunen foregår på tvers av tjenesteområder og avdelinger."
            " Både oppvekst, helse- og mestring, kultur- og innbyggerdialog og by- og miljøutvikling er "
            "kommunalområder som har særskilte ansvarsoppgaver knyttet til kriminalitetsforebygging i kommunen.\n\n"
            "Samarbeidet mellom politi og kommune skal bidra til:\n\n"
            "- at kommune og politi tar et felles ansvar for kriminalitetsforebygging og innbyggernes trygghet\n\n"
            "- å styrke dialog og samarbeid mellom politi og kommune\n\n"
            "- bedre informasjonsflyt og felles kunnskapsgrunnlag mellom politi og kommune\n\n"
            "- et godt samarbeid i beredskaps- og krisesituasjoner\n\n"
            "- tidlig innsats med et særlig fokus på barne- og ungdomskriminalitet\n\n"
            "Samarbeidet skal gjennomføres på en slik måte at man finner gode løsninger innenfor gjeldende "
            "regelverk og innenfor rammene av taushetsplikt og faglige normer. Nødvendig samtykke om fritak fra "
            "taushetsplikt skal innhentes ved behov. Videre skal det kriminalitetsforebyggende arbeidet baseres "
            "på kunnskap, tidlig innsats, samarbeid og koordinering.\n\n"
            "Styringsdokumenter som ligger til grunn for samarbeidsavtalen:\n\n"
            "- Kommuneplanen i Kristiansand; Sterkere sammen —Kristiansand mot 2030,\n\n"
            "- Kriminalitetsforebyggende plan 2016 - 2024; Sammen om en tryggere hverdag\n\n"
            "- Strategi for salgs- og skjenkepolitikken; Alkoholpolitisk handlingsplan 2024-2028\n\n"
            "- Handlingsplan mot vold og seksuelle overgrep mot barn og unge; Handlingsplan mot vold og seksuelle"
            " overgrep\n\n"
            "- Politivedtekt for Kristiansand kommune av 2020; Forskrift om politivedtekt Kristiansand kommune\n\n"
            "- Forskrift om kommunal beredskapsplikt\n\n"
            '- "I forkant av kriminaliteten – Forebygging som politiets hovedstrategi (2021-2025)"\n\n'
            "- Veileder politi og kommunesamarbeid;"
        ),
    ),
    (
        "3",
        "Samarbeid på strategisk og overordnet nivå",
        (
            "Kristiansand kommune og politi har etablerte samhandlingsarena på overordnet nivå hvor det foretas "
            "strategiske prioriteringer for det kriminalitetsforebyggende arbeidet. Det er særlig gjennom "
            "politirådsmøter og i faste møter med formannskapet at dette skjer."
        ),
    ),
    (
        "3.1",
        "Politirådet",
        (
            "Politirådet er et beslutningsdyktig og overordnet organ som skal håndtere strategiske "
            "problemstillinger. Formålet er at kommune- og politiledelsen tar felles ansvar for "
            "kriminalitetsforebygging og trygghet i lokalsamfunnet. Kommunen og politiet forplikter seg til å "
            "følge opp de beslutninger som politirådet fatter. Utpekte mål og felles satsningsområder skal være "
            "basert på kunnskap om utfordringsbildet. Felles fokusområder og tiltak vurderes i politirådet hvert "
            "møte.\n\n"
            "Politirådenes formål er å utveksle informasjon, dele kunnskap og etablere felles problemforståelse "
            "av betydning for de prioriteringer og beslutninger som aktørene foretar. Kjerneaktiviteter for "
            "politirådene er konkretisering av strategier, mål, innsatsområder og tiltak. Gjennom utveksling av "
            "kunnskap og erfaring mellom politi og kommune kan politirådet bidra til involvering og gjensidig "
            "ansvarliggjøring av lokale myndigheter, næringsliv, sivilsamfunn samt politie (Veilederen kommune og"
            " politisamarbeid. KS 2023 )\n\n"
            "Politirådet gjennomføres to ganger i året, henholdsvis på våren og høsten. Kommunen og politiet "
            "ruller på vertskap og møteledelse annethvert år. Fra kommunen inngår ordfører, varaordfører, "
            "kommunedirektør, beredskapssjef og kriminalitetsforebyggende koordinator som faste deltakere. Fra "
            "politiet inngår politistasjonssjefer og deres politikontakter ved henholdsvis Kristiansand- og "
            "Søgne/Songdalen politistasjon som faste deltakere. Andre relevante ressurspersoner inviteres ved "
            "behov.\n\n"
            "Kriminalitetsforebyggende koordinator er sekretær for politirådsmøtene og utarbeider sakslister, "
            "saksfremlegg og referat fra møtene. Sakslisten med tilhørende saksnotater og saksfremlegg utarbeides"
            " i tett samarbeid med politiet og etter innspill fra ulike tjenesteområder i både kommune og politi."
            " Sakslisten godkjennes i kommunedirektørens ledergruppe og politistasjonens ledergruppe før "
            "utsendelse til politirådet. Dette for å sikre en god forankring i linja av de sakene som skal "
            "drøftes i politirådet.\n\n"
            "I tillegg til lokale politirådsmøter arrangerer Region Kristiansand felles regionale politirådsmøter"
            " i regionen en gang i året. Da møter øverste ledelsen i Agder politidistrikt alle ordførere og "
            "kommunedirektører i de ulike kommunene i regionen Kristiansand."
        ),
    ),
    (
        "3.2",
        "Politiets faste møter med formannskapet",
        (
            "Politiledelsen har i tillegg til politirådsmøter også faste halvårige møter med formannskapet. Målet"
            " er å gi politikerne en oppdatert oversikt over kriminalitetssituasjonen til enhver tid slik at "
            "politikerne er i best mulig i stand til å foreta politiske prioriteringer på feltet. Her får "
            "politikerne mulighet til å stille politiet spørsmål om saker som opptar dem for å sikre en god og "
            "trygg by for alle.\n\n"
            "Det ene møtet er forbeholdt informasjon om barne- og ungdomskriminalitet. Denne tar utgangspunkt i "
            "et årlige oversiktsbilde/rapport som utarbeides av kommune og politi (jmf. punkt 3.3). Det andre "
            "møtet tar sikte på å gi en mer generell informasjon om kriminalitetsbildet.\n\n"
            "Møtene i politirådet og i formannskapet inngår i et fast årshjul for samarbeid. Dato og tidspunkter "
            "for de ulike møtepunktene på strategisk nivå, fastlegges i høstens politirådsmøte. Utover dette "
            "møtes politi- og kommuneledelsen ved behov."
        ),
    ),
    (
        "3.3",
        "Kunnskapsgrunnlag",
        (
            "Kommunen og politiet samarbeider om å årlig presentere status for barne- og ungdomskriminalitet i et"
            " Oversiktsbilde for barne- og ungdomskriminalitet i Kristiansand. Målet er å ha et felles "
            "kunnskapsgrunnlag for å identifisere felles tiltak i både politi og kommune.\n\n"
            "Oversiktsbilde for barne- og ungdomskriminalitet presenteres fast i vårens møte mellom politi og "
            "formannskapet. Oversiktsbildet baserer seg på tre hovedkilder; kriminalitetsstatistikken, "
            "ungdomsundersøkelsen og kvalitativ informasjon fra ansatte som til daglig arbeider med ungdom "
            "(nettverk for risikoutsatt ungdom punkt)\n\n"
            "Det er kriminalitetsforebyggende koordinator som fører rapporten i pennen i tett samarbeid med et "
            "team som er representert av kommunens folkehelse koordinator, politikontakten og analytikere i både "
            "politi og kommune etaten.\n\n"
            "I tillegg til oversiktsbilde for barne- og ungdomskriminalitet i Kristiansand utarbeider Politiet i "
            "Agder en årlig Trusselvurdering for Agder. Hensikten med å utarbeide en offentlig versjon av "
            "politidistriktets trusselvurdering er å bidra til en felles situasjonsforståelse lokalt i Agder "
            "knyttet til de mest alvorlige kriminalitetstruslene politiet står overfor. På den måten kan politiet"
            " danne grunnlag for enda bedre samhandling med kommuner og andre offentlige aktører, private, "
            "frivillige og innbyggerne for å forebygge kriminalitet i Agder."
        ),
    ),
    (
        "4",
        "Sentrale funksjoner i samarbeidet",
        (
            "Kommune og politi har et tett samarbeid innenfor en rekke områder som eksempelvis legevakt, rus og "
            "psykisk helse, barnevern, trafikksikkerhet, demonstrasjoner, brann og redning m.m. Dette er "
            "samarbeid som foregår ute i tjenestene i det daglige. I det forebyggende arbeidet finnes dedikerte "
            "sentrale ressurser både i politi og kommune.\n\n"
            "Kriminalitetsforebyggende koordinator i kommunen og politiets politikontakter er sentrale funksjoner"
            " i det overordnede samarbeidet mellom etatene og har som oppgave i å sikre at det "
            "kriminalitetsforebyggende arbeidet blir prioritert i egen etat og i samarbeid med andre offentlige "
            "etater, privat næringsliv, frivillig lag og forening og øvrige krefter i lokalsamfunnet.\n\n"
            "I tillegg til kriminalitetsforebyggende koordinator har beredskapsleder en sentral funksjon i det "
            "overordnede samarbeidet. Kommunens beredskap og samfunnssikkerhet koordineres av denne funksjonen i "
            "tett samarbeid med politiet."
        ),
    ),
    (
        "4.1",
        "Kriminalitetsforebyggende koordinator i kommunen",
        (
            "Kriminalitetsforebyggende koordinator er en administrativ stilling i kommunen som har til formål å "
            "sikre en god samordning og koordinering av ressurser og tiltak på tvers av tjenesteområder og "
            "avdelinger i kommunen.\n\n"
            "Koordinatoren er formelt plassert under direktør for kultur- og innbyggerdialog men har et "
            "sektorovergrepene ansvar og utvidet mandat til å arbeide innenfor alle de kommunalområder i "
            "kommunen.\n\n"
            "Kriminalitetsforebyggende koordinator bidrar til å koordinere informasjon, kunnskap og ressurser "
            "mellom kommunale aktører og politi, samt næringsliv og frivillige lag og foreninger.\n\n"
            "Når det gjelder barne- og ungdomskriminalitet har kommunen sentrale utøvende "
            "kriminalitetsforebyggende funksjoner - såkalte områdekontakter - organisert i hver av kommunens "
            "bydeler.\n\n"
            "Kriminalitetsforebyggende koordinator har en sentral rolle i å medvirke til utviklingen av lokal "
            "kriminalpolitikk samt ansvar for å utvikle kunnskap om kriminalitetsutviklingen og utfordringene den"
            " medbringer i tett samarbeid med politikontaktene i politiet."
        ),
    ),
    (
        "4.2",
        "Politikontakt",
        (
            "Politikontaktene er det daglige kontaktleddet mot kommunene, og er rådgiver innenfor det "
            "kriminalitetsforebyggende arbeid. Politikontaktene har en viktig forebyggende rolle ved å bidra til "
            "helhetlig samhandling samt å sørge for kunnskapsdeling og erfaringsutveksling mellom politiet og "
            "ulike samarbeidsaktører i kommunen.\n\n"
            "Politikontaktene skal gi råd og følge opp rett bruk av kriminalitetsforebyggende metoder og tiltak "
            "ut i fra et felles kunnskapsgrunnlag. For å oppnå dette må politikontaktene være en pådriver til at "
            "politiet deler kunnskap og erfaringer med kommunen og å presentere politiets informasjon om lokalt "
            "kriminalitetsbilde. Dette sammenholdes med kommunens egne analyser og funn, og kunnskap hentet fra "
            "forskning som beskriver bakenforliggende årsaker til kriminalitet, risiko- og beskyttelsesfaktorer, "
            "samt effekt av ulike forebyggende tiltak. (veileder KS og politi)\n\n"
            "I Kristiansand er det politikontakter i både Kristiansand politistasjon og i Søgne og Songdalen "
            "politistasjon. Begge er bindeledd mellom politiet og kommunene og skal bidra til tettere samarbeid "
            "om forebygging og beredskap.\n\n"
            "I likhet med kommunen så har også politiet dedikerte ressurser knyttet til hver av kommunens bydeler"
            " som har som mål å forebygge barne- og ungdomskriminalitet. Disse politiresursene har faste "
            "treffpunkter med områdekontaktene i kommunene og danner sammen en fast struktur for samarbeid i de "
            "enkelte bydelene."
        ),
    ),
    (
        "4.3",
        "Beredskapskoordinator",
        (
            "Kommunen har en egen sikkerhet- og beredskapskoordinator som koordinerer arbeidet i henhold til den "
            "kommunale beredskapsplikt (jmf. forskrift om kommunal beredskapsplikt). Målet er å forebygge, verne "
            "seg mot og håndtere hendelser som truer grunnleggende verdier og funksjoner som setter liv og helse "
            "i fare.\n\n"
            "Sikkerhet- og beredskapskoordinatoren samarbeider tett med både lokal politistasjon og med øvrige "
            "funksjoner i Agder politidistrikt. Sikkerhet- og beredskapskoordinator leder arbeidsutvalget for "
            "kriseledelse i kommunen. Det innebærer et ansvar for organisering av evakuering- og pårørende senter"
            " og organisering av kommunens kriseteam.\n\n"
            "Politiet bistår kommunen i analyse og planlegging av forebyggende tiltak for å ivareta befolkningens"
            " sikkerhet og trygghet. Kommunens beredskapsplikt omfatter kommunen som myndighet innenfor sitt "
            "geografiske område, som virksomhet og som pådriver overfor andre aktører."
        ),
    ),
    (
        "5",
        "Samarbeid på utøvende nivå",
        (
            "Kommunen og politiet har et utstrakt samarbeid på det utøvende og operasjonelle nivået.\n\n"
            "Samarbeidet skjer både i faste møtestrukturer til mer akutte og hendelsesstyrte samarbeid. Det er "
            "særlig innenfor følgende områder at kommunen og politi har samarbeidstiltak\n\n"
            "- Barne- og ungdomskriminalitet\n\n"
            "- Vold i nære relasjoner\n\n"
            "- Seksuelle overgrep mot barn\n\n"
            "- Personer som utgjør en samfunnsfare\n\n"
            "- Rus og psykiatri\n\n"
            "- Radikalisering, hatkrim og polarisering\n\n"
            "- Trafikksikkerhetsarbeid\n\n"
            "- Trygt uteliv\n\n"
            "- Operativ beredskap, øvelser og evakuering- og pårørendesenter.\n\n"
            "- Arrangementer og markeringer\n\n"
            "Innenfor flere av de nevnte områdene er det igangsatt arbeid med å formalisere samarbeidsrutiner. "
            "Disse vil være forankret i den overordnede avtalen mellom etatene."
        ),
    ),
    (
        "6",
        "Evaluering",
        (
            "Samarbeidsavtalen har en varighet på 4 år og følger bystyreperioden. Den skal evalueres årlig i "
            "politirådet.\n\n"
            "Forøvrig evalueres samarbeidet fortløpende og nødvendige tilpasninger gjøres underveis."
        ),
    ),
)
