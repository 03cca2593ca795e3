// The interface's strings for scripts. The Norwegian text is the key (msgid), extracted by `make i18n-update` with
// pybabel's javascript extractor (keyword t); base.html loads /i18n/<lang>.js, which sets window.BEREDSKAP_I18N,
// for every language but Norwegian. Placeholders are Python-style, as in the catalogue: t("%(n)s personer", { n }).

const catalogue = globalThis.BEREDSKAP_I18N || {};

export function t(key, params) {
  const text = catalogue[key] || key;
  if (!params) return text;
  return text.replace(/%\((\w+)\)s|%%/g, (whole, name) => {
    if (name === undefined) return "%";
    return name in params ? String(params[name]) : whole;
  });
}

// The page's language (<html lang>, set from the chosen locale) and the matching Intl locale for dates and numbers.
export const lang = () => document.documentElement.lang || "nb";
export const intlLocale = () => (lang() === "en" ? "en-GB" : "nb-NO");
