"""No Norwegian text in the scripts outside t(): everything a script shows comes from the served catalogue."""

import re
from pathlib import Path

JS = Path(__file__).resolve().parents[2] / "beredskap" / "static" / "js"

# Common words of the interface that have no æ, ø or å (lower case; whole words, inside string literals).
NORWEGIAN_WORDS = set(
    "alle av avbryt avvist beskrivelse dag deg den det eller endre er feil feilet fjern fra frakoblet "
    "har hendelse hendelser hent husstand ikke ingen innspill ja kan kart kilde kl kobler kommer lagre "
    "lagret ledig legg levert logg lukk mangler med merknad mottakere navn nei ny nye nytt og oppdatert "
    "oppgave oppgaver opprett personer plasser prov rapport registrer registrert sendt senter sist skal "
    "skjul slett som svar tid til tilbake tilkoblet tiltak uke ukjent utsjekk velg venter vis".split()
)
STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`", re.S)
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
# t("…"), t('…') and t(`…`) with its first argument: those strings are the catalogue's msgids.
T_CALL = re.compile(r"\bt\(\s*(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)")
# A regular expression literal (its quotes are not strings): /…/flags followed by . , ; ) ] }
REGEX = re.compile(r"/(?![/*])(?:[^/\\\n\[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[gimsuy]*(?=\s*[.,;)\]}])")
WORD = re.compile(r"[a-zA-ZæøåÆØÅ]+")


def _strip_comments(code: str) -> str:
    # Drop comments without touching strings: walk the strings first, blank comments between them.
    out, pos = [], 0
    pattern = re.compile(STRING.pattern + r"|" + COMMENT.pattern + r"|" + REGEX.pattern, re.S)
    for match in pattern.finditer(code):
        out.append(code[pos : match.start()])
        text = match.group(0)
        out.append("" if text.startswith(("//", "/*")) else text)
        pos = match.end()
    out.append(code[pos:])
    return "".join(out)


def _hits(code: str) -> list[str]:
    # A line marked «i18n-ignore» holds a string that is data, not interface text (an audit reason stored as written).
    code = "\n".join(line for line in code.split("\n") if "i18n-ignore" not in line)
    code = T_CALL.sub("t(", _strip_comments(code))
    hits = []
    for literal in STRING.findall(code):
        # Inside template literals, the ${…} expressions are code, not text.
        text = re.sub(r"\$\{[^}]*\}", " ", literal[1:-1])
        # HTML tag and attribute names, CSS classes and URLs are not text either.
        text = re.sub(r"<[^>]*>", " ", text)
        if re.search(r"[æøåÆØÅ]", text):
            hits.append(literal)
            continue
        words = {w.lower() for w in WORD.findall(text)}
        if not words & NORWEGIAN_WORDS:
            continue
        # A Norwegian word in text: several words, or one capitalised word («Lagret»), not a lower-case data key.
        if (
            " " in text.strip()
            or re.fullmatch(r"\s*\(?[A-ZÆØÅ][a-zæøå]+[.:!?)]*\s*", text)
            or re.search(r"\(\w+\)", text)
        ):
            hits.append(literal)
    return hits


def test_the_scan_finds_norwegian_outside_t():
    assert _hits('el.textContent = "Lagret";')  # a capitalised word is text
    assert _hits('name + " (deg)"')
    assert _hits('const kind = "ukjent";') == []  # a lower-case single word is a data key
    assert _hits('el.textContent = "Ikke lagret";')
    assert _hits("el.title = `Åpne ${x}`;")
    assert _hits('el.textContent = t("Ikke lagret");') == []
    assert _hits("// Åpne hendelser\nconst a = 1;") == []


def test_no_norwegian_in_scripts():
    found = {}
    for path in sorted(JS.glob("*.js")):
        hits = _hits(path.read_text(encoding="utf-8"))
        if hits:
            found[path.name] = hits[:5]
    assert not found, "Norwegian outside t() (move it into the catalogue): " + "; ".join(
        f"{name}: {hits}" for name, hits in found.items()
    )
